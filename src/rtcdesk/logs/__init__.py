"""SDK and app log analysis: parsers, a YAML rule pack, the engine and its reports."""
