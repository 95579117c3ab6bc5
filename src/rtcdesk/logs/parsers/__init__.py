"""Log parsers: a streaming reader, format detection and one line grammar per format."""
