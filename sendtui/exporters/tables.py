"""Reports as tables: a rich Table for the terminal, CSV (or TSV) and Markdown text.

Every format has the same lines in the same order, in the layout of seed 000's breakdown:
a header row, one row per line of the report, and the Total row last. The code column
("0".."7", "M3") is left out when no line has a code (groups, kinds). Text is literal in
every format: rich cells are Text, Markdown escapes its markup characters, and a CSV cell
that a spreadsheet would run as a formula is neutralised.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import TYPE_CHECKING

from sendtui.services.crosstabs import CrossTab
from sendtui.services.reports import Breakdown
from sendtui.text import neutralise_cell

if TYPE_CHECKING:
    from rich.table import Table

Cell = str | int
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # xlsx: cells starting so are typed as text
MARKDOWN_SPECIALS = "\\`*_[]<>|~&"


def neutralise(value: Cell) -> Cell:
    """A cell a spreadsheet would read as a formula gets a leading single quote (the one
    rule: sendtui.text.neutralise_cell); numbers are left as numbers."""
    return neutralise_cell(value) if isinstance(value, str) else value


def breakdown_lines(breakdown: Breakdown) -> list[list[Cell]]:
    """Header, one line per row, Total: the cells every format writes."""
    coded = any(row.code for row in breakdown.rows)
    lead: list[Cell] = [""] if coded else []
    lines: list[list[Cell]] = [[*lead, "Description", "Count", "Percentage"]]
    for row in breakdown.rows:
        lines.append([*([row.code] if coded else []), row.label, row.count, row.percent_text])
    lines.append([*lead, "Total", breakdown.total, breakdown.total_percent_text])
    return lines


def crosstab_lines(table: CrossTab) -> list[list[Cell]]:
    """Header (column codes or labels, then Total), one line per row with its total, then
    the column totals and the grand total."""
    coded = any(item.code for item in table.rows)
    lead: list[Cell] = [""] if coded else []
    lines: list[list[Cell]] = [
        [*lead, table.row_title, *(c.code or c.label for c in table.cols), "Total"]
    ]
    for item, cells, total in zip(table.rows, table.cells, table.row_totals, strict=True):
        lines.append([*([item.code] if coded else []), item.label, *cells, total])
    lines.append([*lead, "Total", *table.col_totals, table.total])
    return lines


def _lines(report: Breakdown | CrossTab) -> list[list[Cell]]:
    return breakdown_lines(report) if isinstance(report, Breakdown) else crosstab_lines(report)


def to_csv(report: Breakdown | CrossTab, *, delimiter: str = ",") -> str:
    """CSV text (delimiter="\\t" for TSV, which reproduces seed 000's table exactly)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    for line in _lines(report):
        writer.writerow([neutralise(cell) for cell in line])
    return out.getvalue()


def markdown_escape(text: str) -> str:
    """Text that Markdown shows exactly as typed, on one line (for a table cell)."""
    text = " ".join(text.split())
    return "".join("\\" + ch if ch in MARKDOWN_SPECIALS else ch for ch in text)


def to_markdown(report: Breakdown | CrossTab) -> str:
    """A Markdown (GFM) table, numbers right-aligned, then the report's notes."""
    notes = [markdown_escape(note) for note in report.notes]
    return markdown_table(_lines(report)) + "".join(f"\n{note}\n" for note in notes)


def markdown_table(lines: Sequence[Sequence[Cell]]) -> str:
    """A GFM table of a header line and body lines; a column is right-aligned when its last
    line's cell is a number (or a percentage)."""
    header, body = lines[0], lines[1:]
    numeric = [isinstance(cell, int) or str(cell).endswith("%") for cell in lines[-1]]
    out = [_md_row(header)]
    out.append("| " + " | ".join("---:" if n else "---" for n in numeric) + " |")
    out += [_md_row(line) for line in body]
    return "\n".join(out) + "\n"


def _md_row(cells: Sequence[Cell]) -> str:
    return "| " + " | ".join(markdown_escape(str(cell)) for cell in cells) + " |"


def to_table(report: Breakdown | CrossTab) -> Table:
    """A rich Table: title above, notes as the caption, the Total line in bold."""
    # Loaded here: CSV and Markdown (reports and exports) print no table, and rich's table
    # takes about 30 ms to load.
    from rich.table import Table
    from rich.text import Text

    lines = _lines(report)
    header, body, total = lines[0], lines[1:-1], lines[-1]
    numeric = [isinstance(cell, int) or str(cell).endswith("%") for cell in total]
    table = Table(
        title=Text(report.title),
        caption=Text("\n".join(report.notes)) if report.notes else None,
        caption_justify="left",
    )
    widths = [max(len(str(line[i])) for line in lines[1:]) for i in range(len(header))]
    for i, (name, right) in enumerate(zip(header, numeric, strict=True)):
        # Counts and codes keep their width and labels at least 12 characters, so a narrow
        # terminal wraps the long labels and headers rather than the numbers.
        short = right or widths[i] <= 4
        table.add_column(
            Text(str(name)),
            justify="right" if right else "left",
            min_width=widths[i] if short else min(widths[i], 12),
        )
    for line in body:
        table.add_row(*(Text(str(cell)) for cell in line))
    table.add_section()
    table.add_row(*(Text(str(cell), style="bold") for cell in total))
    return table


def breakdown_table(breakdown: Breakdown) -> Table:
    """`to_table` for a Breakdown (the reports screen's name for it)."""
    return to_table(breakdown)


def crosstab_table(table: CrossTab) -> Table:
    """`to_table` for a CrossTab."""
    return to_table(table)
