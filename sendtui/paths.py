"""Where sendtui finds its built-in data, its font and its default files.

The reference data (chapter schemes, markers, glossary, the demo notes) ships inside the
package as `sendtui/data`, so a plain `pip install` has it; it is found with
importlib.resources. A forum's own schemes are not put there: they go in the folders
config.toml names (`[reference] folders`).
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_DIR = PACKAGE_DIR.parent


def builtin_data_dir() -> Path:
    """The shipped reference data (schemes, markers, glossary, demo notes).

    SENDTUI_DATA overrides it; otherwise the package's own `sendtui/data`. In a source
    checkout the top-level data/ folder links to the same files and is used, so paths
    relative to it (the checkout's config.toml beside it) keep working."""
    override = os.environ.get("SENDTUI_DATA")
    if override:
        return Path(override)
    checkout = REPO_DIR / "data"
    if (checkout / "markers.toml").is_file() and (REPO_DIR / "pyproject.toml").is_file():
        return checkout
    from importlib.resources import files  # slow to load, and a checkout does not need it

    return Path(str(files("sendtui").joinpath("data")))


def pdf_font_path(*, bold: bool = False) -> Path:
    """The Unicode TTF font PDFs are written with (DejaVu Sans, bundled in the package), so a
    claimant's name in any script prints, whatever else is installed."""
    from importlib.resources import files

    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return Path(str(files("sendtui").joinpath("fonts", name)))


def default_config_path() -> Path | None:
    """The config file used when --config is not given: $SENDTUI_CONFIG, ./config.toml, or
    the checkout's config.toml."""
    env = os.environ.get("SENDTUI_CONFIG")
    if env:
        return Path(env)
    for candidate in (Path.cwd() / "config.toml", REPO_DIR / "config.toml"):
        if candidate.is_file():
            return candidate
    return None
