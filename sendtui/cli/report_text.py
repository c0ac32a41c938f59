"""A report's table as plain text, character for character what rich draws for it (the
table of sendtui.exporters.tables.to_table, at its full width, no colour), without
loading rich: `sendtui report` into a file or a pipe.

Only for text whose every character takes one cell (Latin letters, digits, punctuation,
curly quotes and dashes): anything else (wide or combining characters) returns None and
the caller draws with rich, whose cell widths and wrapping handle it.
tests/unit/test_report_text.py checks the two agree.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import pairwise

# One cell each, in rich's tables and in a terminal.
_NARROW = re.compile(
    r"[\x20-\x7e\xa0-\xac\xae-\xff\u2013\u2014\u2018\u2019\u201c\u201d\u2022\u2026]*"
)
_WORD = re.compile(r"\s*\S+\s*")

# rich's box.HEAVY_HEAD: top, header row, header rule, body row, section rule, bottom.
_TOP, _HEAD, _HEAD_RULE = ("┏", "━", "┳", "┓"), "┃", ("┡", "━", "╇", "┩")
_BODY, _SECTION, _BOTTOM = "│", ("├", "─", "┼", "┤"), ("└", "─", "┴", "┘")


def narrow(*texts: str) -> bool:
    """Every character of every text takes exactly one cell."""
    return all(_NARROW.fullmatch(t) for t in texts)


def _breaks(line: str, width: int) -> list[int]:
    """Where rich's word wrap (rich._wrap.divide_line, folding long words) breaks `line`."""
    breaks: list[int] = []
    offset = 0
    for match in _WORD.finditer(line):
        start, word = match.start(), match.group(0)
        length = len(word.rstrip())
        if width - offset >= length:
            offset += len(word)
        elif length > width:
            chunks = [word[i : i + width] for i in range(0, len(word), width)]
            for n, chunk in enumerate(chunks):
                if start:
                    breaks.append(start)
                if n == len(chunks) - 1:
                    offset = len(chunk)
                else:
                    start += len(chunk)
        elif offset and start:
            breaks.append(start)
            offset = len(word)
    return breaks


def wrap(text: str, width: int, justify: str) -> list[str]:
    """`text` wrapped to `width` as rich's Text.wrap does: "left" pads each line to the
    width, "center" centres it (padded both sides), "default" leaves it as it is."""
    out: list[str] = []
    for line in text.split("\n"):
        edges = [0, *_breaks(line, width), len(line)]
        for start, end in pairwise(edges):
            piece = line[start:end]
            if len(piece) > width:  # trailing spaces beyond the width go first
                spaces = len(piece) - len(piece.rstrip())
                piece = piece[: len(piece) - min(spaces, len(piece) - width)]
            if justify == "left":
                piece = piece[:width].ljust(width)
            elif justify == "center":
                piece = piece.rstrip()[:width]
                left = (width - len(piece)) // 2
                piece = (" " * left + piece).ljust(width)
            out.append(piece[:width])
    return out


def table_text(
    lines: Sequence[Sequence[str]],
    numeric: Sequence[bool],
    title: str,
    notes: Sequence[str],
    event_title: str,
) -> str | None:
    """The event's title, then the table (header, body, a rule, the Total line) with its
    title above and notes below, as rich prints it at full width; None when some text is
    not one cell per character."""
    header, body, total = lines[0], lines[1:-1], lines[-1]
    if not narrow(title, event_title, *notes, *(c for line in lines for c in line)):
        return None
    # At full width every column is as wide as its widest cell (to_table's minimum widths
    # never exceed that), plus a space either side.
    widths = [max(len(line[i]) for line in lines) + 2 for i in range(len(header))]
    table_width = sum(widths) + len(widths) + 1
    console_width = max(table_width, len(event_title), 20)

    def rule(parts: tuple[str, str, str, str]) -> str:
        left, line, cross, right = parts
        return left + cross.join(line * w for w in widths) + right

    def row(cells: Sequence[str], edge: str) -> str:
        shown = [
            " " + (c.rstrip().rjust(w - 2) if right else c.ljust(w - 2)) + " "
            for c, w, right in zip(cells, widths, numeric, strict=True)
        ]
        return edge + edge.join(shown) + edge

    out = wrap(event_title, console_width, "default")
    if title:  # rich leaves out an empty title or caption
        out += wrap(title, table_width, "center")
    out += [rule(_TOP), row(header, _HEAD), rule(_HEAD_RULE)]
    out += [row(line, _BODY) for line in body]
    if body:
        out.append(rule(_SECTION))
    out += [row(total, _BODY), rule(_BOTTOM)]
    caption = "\n".join(notes)
    if caption:
        out += wrap(caption, table_width, "left")
    return "\n".join(out) + "\n"
