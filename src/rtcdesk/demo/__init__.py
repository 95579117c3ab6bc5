"""The named demo dataset shared by `rtcdesk demo` and the tests."""
