"""How one line of the capture list is drawn: a point (indent, kind badge, text, tags on the
right) or a heading separator. Lines are values, so the list can keep what it has drawn."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from rich.console import Console
from rich.style import Style
from rich.text import Text
from textual.strip import Strip

from sendtui.store.reads import PointRow
from sendtui.tui.text import KIND_CLASSES, kind_badge, tags_text

MAX_INDENT = 6


@dataclass(frozen=True, slots=True)
class Line:
    row: PointRow | None  # None: a heading separator
    heading: str
    depth: int = 0


def draw_line(
    line: Line,
    width: int,
    cursor: str,
    base: Style,
    waiting: bool,
    *,
    style: Callable[[str], Style],
    console: Console,
    group_names: Mapping[int, str] | None,
) -> Strip:
    """The line `width` cells wide; `cursor` is "focus", "blur" or ""; `style` looks up a
    component class's style (the list's own)."""
    if line.row is None:
        text = _heading_text(line.heading, style)
    else:
        text = _point_text(line, line.row, width, waiting, style, group_names)
    if cursor == "focus":
        text.stylize(style("point-list--cursor"))
    elif cursor:
        text.stylize(style("point-list--cursor") + Style(dim=True))
    strip = Strip(text.render(console), text.cell_len)
    return strip.crop_extend(0, width, base).apply_style(base)


def _heading_text(heading: str, style: Callable[[str], Style]) -> Text:
    text = Text("── ", no_wrap=True)
    text.append(Text(heading) if heading else Text("no heading", style="italic"))
    text.append(" ──")
    text.stylize(style("point-list--heading"))
    return text


def _point_text(
    line: Line,
    row: PointRow,
    width: int,
    waiting: bool,
    style: Callable[[str], Style],
    group_names: Mapping[int, str] | None,
) -> Text:
    prefix = Text("  " * min(line.depth, MAX_INDENT), no_wrap=True)
    prefix.append("◦ " if line.depth else "• ")
    badge = kind_badge(row.kind, style(KIND_CLASSES[row.kind]))
    tags = tags_text(row.chapters, row.markers, row.section_ref, style("point-list--tags"))
    if row.private:
        tags.append(" private", style("point-list--private"))
    if waiting:
        tags.append(" saving…", style("point-list--saving"))
    if group_names is not None:
        group = group_names.get(row.group_id, "?")
        prefix = Text.assemble(
            (group[:16] + ("…" if len(group) > 16 else ""), "dim"), " · ", prefix
        )
    room = max(8, width - prefix.cell_len - badge.cell_len - tags.cell_len - 1)
    body = Text(row.text.replace("\n", " "), no_wrap=True, overflow="ellipsis")
    body.truncate(room, overflow="ellipsis", pad=bool(tags))  # tags line up on the right
    return Text.assemble(prefix, badge, body, " ", tags, no_wrap=True)
