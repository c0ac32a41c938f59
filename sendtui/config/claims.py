"""The [claims] section of config.toml: the treasurer's rates, limits and workflow rules."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

_STRICT = ConfigDict(extra="forbid", use_attribute_docstrings=True, frozen=True)


class ClaimsSection(BaseModel):
    """Expenses and remuneration settings (filled in by the claims work)."""

    model_config = _STRICT
