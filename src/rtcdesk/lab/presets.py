"""The named scenarios shipped with rtcdesk, and resolving a name or a file to a scenario."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from rtcdesk.core.errors import NotFound
from rtcdesk.lab.scenario import Scenario, parse_scenario

_SUFFIXES = (".yaml", ".yml", ".toml")


def preset_names() -> list[str]:
    """Names of the shipped presets, sorted."""
    folder = resources.files("rtcdesk.lab").joinpath("presets")
    return sorted(p.name.rsplit(".", 1)[0] for p in folder.iterdir() if p.name.endswith(".yaml"))


def load_preset(name: str) -> Scenario:
    """Load one shipped preset by name."""
    if name not in preset_names():
        raise NotFound(
            "no lab preset named {name} (try: {choices})",
            params={"name": name, "choices": ", ".join(preset_names())},
        )
    text = resources.files("rtcdesk.lab").joinpath("presets", f"{name}.yaml").read_text("utf-8")
    return parse_scenario(text, source=f"preset {name}")


def resolve_scenario(name_or_file: str) -> Scenario:
    """A preset name, or the path of a scenario file an engineer wrote."""
    path = Path(name_or_file)
    if path.suffix.lower() in _SUFFIXES or path.exists():
        if not path.is_file():
            raise NotFound("scenario file {path} does not exist", params={"path": name_or_file})
        return parse_scenario(
            path.read_text(encoding="utf-8"),
            source=str(path),
            toml=path.suffix.lower() == ".toml",
        )
    return load_preset(name_or_file)
