"""Weak-network lab: real WebRTC calls in headless Chromium through an impairing relay."""
