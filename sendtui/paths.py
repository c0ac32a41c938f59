"""Where sendtui finds its built-in data and its default files."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_DIR = PACKAGE_DIR.parent


def builtin_data_dir() -> Path:
    """The shipped reference data (schemes, markers, glossary, demo notes).

    SENDTUI_DATA overrides it; otherwise the checkout's top-level data/ folder.
    """
    override = os.environ.get("SENDTUI_DATA")
    return Path(override) if override else REPO_DIR / "data"


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
