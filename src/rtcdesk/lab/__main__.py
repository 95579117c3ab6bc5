"""``python -m rtcdesk.lab``: the lab command line without the main rtcdesk CLI."""

from rtcdesk.cli.lab import lab

if __name__ == "__main__":
    lab(prog_name="python -m rtcdesk.lab")
