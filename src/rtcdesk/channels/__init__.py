"""Channels customers reach support through (email today; chat and phone later)."""
