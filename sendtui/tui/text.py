"""Turning user text and domain values into Rich Text: never markup, always literal."""

from __future__ import annotations

from collections.abc import Sequence

from rich.style import Style
from rich.text import Text

from sendtui.models.kinds import Kind

KIND_CLASSES: dict[str, str] = {kind.value: f"kind--{kind.value}" for kind in Kind}
KIND_BADGES: dict[str, str] = {
    Kind.POINT: "",
    Kind.QUESTION: "Q ",
    Kind.POSITIVE: "+ ",
    Kind.NEGATIVE: "− ",
    Kind.CONCERN: "! ",
    Kind.SOLUTION: "→ ",
    Kind.ACTION: "* ",
}


def literal(value: object) -> Text:
    """User text exactly as typed: `[bold]` stays those seven characters."""
    return Text(str(value))


def kind_badge(kind: str, style: Style | None = None) -> Text:
    badge = KIND_BADGES.get(kind, "")
    return Text(badge, style=style or "") if badge else Text()


def kind_label(kind: str) -> str:
    try:
        return Kind(kind).label
    except ValueError:
        return kind


def tags_text(
    chapters: Sequence[str],
    markers: Sequence[str],
    section_ref: str = "",
    style: Style | None = None,
) -> Text:
    """ "#2 #7.3 @M1": chapters (with their section references) and markers."""
    refs = [r.strip() for r in section_ref.split(",") if r.strip()]
    parts = []
    for code in chapters:
        own = [r for r in refs if r.split(".", 1)[0] == code]
        parts.extend("#" + r for r in own) if own else parts.append("#" + code)
    parts.extend("@" + m for m in markers)
    return Text(" ".join(parts), style=style or "", no_wrap=True)
