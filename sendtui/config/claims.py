"""The [claims] section of config.toml: the treasurer's rates, limits and workflow rules.

A `Section` (msgspec Struct, see sendtui/config/base.py): every field has a default and a
docstring written under it.
"""

from __future__ import annotations

from sendtui.config.base import Section


class ClaimsSection(Section):
    """Expenses and remuneration settings."""
