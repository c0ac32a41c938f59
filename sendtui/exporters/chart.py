"""A bar chart of points per chapter, as PNG bytes for the DOCX and HTML minutes.

Drawn with matplotlib's Agg canvas on a Figure of its own (no pyplot, no GUI, nothing
global), with a fixed font, size and resolution and no timestamp in the file, so the same
breakdown gives the same picture. Labels are never read as mathtext: a "$" stays a "$".
"""

from __future__ import annotations

import io
import textwrap

from sendtui.services.reports import Breakdown

WIDTH_INCHES = 8.0
DPI = 100
FONT = "DejaVu Sans"  # ships with matplotlib, so every machine draws the same letters
FONT_SIZE = 9
BAR_COLOUR = "#1f5f9e"  # a dark blue that prints well in greyscale too
LABEL_WIDTH = 38  # characters per line of a chapter's label


def chapter_chart(breakdown: Breakdown) -> bytes:
    """A horizontal bar per row of the breakdown (chapters in scheme order, top down, then
    Untagged), labelled with its code and title and its count at the bar's end."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    rows = breakdown.rows
    labels = [
        textwrap.fill(f"{row.code} {row.label}" if row.code else row.label, LABEL_WIDTH)
        for row in rows
    ]
    lines = sum(label.count("\n") + 1 for label in labels)
    height = max(2.5, 0.9 + 0.22 * lines + 0.12 * len(rows))
    with _style():
        figure = Figure(figsize=(WIDTH_INCHES, height), dpi=DPI)
        FigureCanvasAgg(figure)
        axes = figure.add_subplot()
        places = list(range(len(rows)))
        counts = [row.count for row in rows]
        bars = axes.barh(places, counts, color=BAR_COLOUR, height=0.65)
        axes.set_yticks(places, labels=labels, parse_math=False, fontsize=FONT_SIZE)
        axes.invert_yaxis()  # the first chapter at the top, as in the table
        axes.bar_label(bars, labels=[str(c) for c in counts], padding=3, fontsize=FONT_SIZE)
        axes.set_xlim(0, max(counts, default=0) * 1.12 or 1)
        axes.set_xlabel("Points (a point tagged to two chapters counts in both)")
        axes.set_title(breakdown.title, parse_math=False, loc="left", fontweight="bold")
        axes.spines[["top", "right"]].set_visible(False)
        axes.xaxis.get_major_locator().set_params(integer=True)
        figure.tight_layout()
        out = io.BytesIO()
        figure.savefig(out, format="png", dpi=DPI, metadata={"Software": None})
    return out.getvalue()


def _style():
    import matplotlib

    return matplotlib.rc_context(
        {"font.family": FONT, "font.size": FONT_SIZE, "svg.hashsalt": "sendtui"}
    )
