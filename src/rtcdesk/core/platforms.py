"""Display names of the SDK platforms customers build on (codes as stored on tickets)."""

from __future__ import annotations

# code -> (English, Chinese). Product names are not translated; generic words are.
PLATFORM_NAMES: dict[str, tuple[str, str]] = {
    "ios": ("iOS", "iOS"),
    "android": ("Android", "Android"),
    "web": ("Web", "Web 网页"),
    "windows": ("Windows", "Windows"),
    "macos": ("macOS", "macOS"),
    "linux": ("Linux", "Linux"),
    "flutter": ("Flutter", "Flutter"),
    "react-native": ("React Native", "React Native"),
    "unity": ("Unity", "Unity"),
    "electron": ("Electron", "Electron"),
    "server": ("Server", "服务端"),
    "harmonyos": ("HarmonyOS", "鸿蒙 HarmonyOS"),
    "chromeos": ("ChromeOS", "ChromeOS"),
}


def platform_name(code: str, lang: str = "en") -> str:
    """The display name of a platform code ('react_native' -> 'React Native'), else the code."""
    names = PLATFORM_NAMES.get(code.strip().lower().replace("_", "-"))
    if names is None:
        return code
    return names[1] if lang.lower().startswith("zh") else names[0]
