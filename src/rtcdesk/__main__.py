"""``python -m rtcdesk`` is the same as the ``rtcdesk`` command."""

from rtcdesk.cli.main import main

main()
