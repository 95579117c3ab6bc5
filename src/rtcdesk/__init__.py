"""rtcdesk: technical support for real-time audio/video vendors."""

__version__ = "0.1.0"
