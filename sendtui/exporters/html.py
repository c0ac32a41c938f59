"""The minutes as one self-contained HTML file: semantic headings, lists and table, a little
inline CSS, and the chart embedded as a data: URI, so the file can be emailed on its own.
Every string from the store is HTML-escaped: "<script>" is text, never a tag.

    page = render_html(collect_minutes(store, event_id), chart_png)
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from html import escape

from sendtui.exporters.minutes import (
    ACTION_HEADER,
    ACTIONS_TITLE,
    APOLOGIES_TITLE,
    ATTENDANCE_TITLE,
    BREAKDOWN_TITLE,
    GLOSSARY_TITLE,
    GROUPS_TITLE,
    NOTES_TITLE,
    QUESTIONS_TITLE,
    MinutesData,
    MinutesItem,
    Steps,
    group_roles,
    said_in,
    walk,
)
from sendtui.exporters.records import PointRecord
from sendtui.exporters.tables import breakdown_lines

_STYLE = """
body { font-family: system-ui, "Segoe UI", Arial, sans-serif; line-height: 1.45;
       max-width: 52rem; margin: 2rem auto; padding: 0 1rem; color: #1a1a1a; }
h1 { font-size: 1.8rem; } h2 { margin-top: 2.2rem; border-bottom: 1px solid #bbb; }
dl.details { display: grid; grid-template-columns: max-content auto; gap: 0.2rem 1rem; }
dl.details dt { font-weight: bold; } dl.details dd { margin: 0; }
table { border-collapse: collapse; margin: 0.5rem 0; }
caption { text-align: left; font-weight: bold; padding-bottom: 0.3rem; }
th, td { border: 1px solid #999; padding: 0.25rem 0.6rem; text-align: left; }
td.number { text-align: right; font-variant-numeric: tabular-nums; }
tfoot th, tfoot td { font-weight: bold; }
.kind { font-weight: bold; } .where, .private { font-style: italic; color: #555; }
figure { margin: 1rem 0; } figure img { max-width: 100%; height: auto; }
@media print { body { max-width: none; margin: 0; } h2, h3, h4 { break-after: avoid; } }
""".strip()
_SEPARATOR = "\x1e"  # the ASCII record separator; a text holding one is escaped on its own
PRIVATE = ' <span class="private">(private)</span>'  # in minutes that include private points


def escape_all(texts: list[str]) -> list[str]:
    """html.escape for many texts in one pass; line breaks in a point become <br>."""
    if not texts:
        return []
    joined = _SEPARATOR.join(texts)
    if joined.count(_SEPARATOR) == len(texts) - 1:
        done = escape(joined).split(_SEPARATOR)
    else:  # a text holds the separator itself
        done = [escape(t) for t in texts]
    return [_breaks(t) if "\n" in t or "\r" in t else t for t in done]


def _breaks(text: str) -> str:
    return "<br>".join(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))


def render_html(minutes: MinutesData, chart_png: bytes | None, steps: Steps | None = None) -> str:
    """The whole minutes page. `chart_png` is left out when None (an event with no points)."""
    return "\n".join(_Page(minutes, chart_png, steps or Steps(None, 0)).lines()) + "\n"


class _Page:
    def __init__(self, minutes: MinutesData, chart_png: bytes | None, steps: Steps) -> None:
        self.minutes, self.chart, self.steps = minutes, chart_png, steps
        points = minutes.points
        texts = escape_all([p.text for p in points])
        self.text = {
            p.number: t + PRIVATE if p.private else t for p, t in zip(points, texts, strict=True)
        }
        self.places: dict[tuple[str, str], str] = {}
        self.out: list[str] = []

    def where(self, point: PointRecord, *, topic: bool = True) -> str:
        key = (point.group, point.topic if topic else "")
        if key not in self.places:
            place = escape(said_in(point, topic=topic))
            self.places[key] = f' <span class="where">— {place}</span>'
        return self.places[key]

    def lines(self) -> list[str]:
        minutes, out = self.minutes, self.out
        title = escape(minutes.event.title)
        out += [
            "<!DOCTYPE html>", '<html lang="en-GB">', "<head>", '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{title}</title>", f"<style>\n{_STYLE}\n</style>", "</head>", "<body>",
            "<main>", f"<h1>{title}</h1>", '<dl class="details">',
        ]  # fmt: skip
        for label, value in minutes.details():
            out.append(f"<dt>{escape(label)}</dt><dd>{escape(value)}</dd>")
        out.append("</dl>")
        if minutes.facilitated:
            out += ["<section>", f"<h2>{GROUPS_TITLE}</h2>", "<ul>"]
            for group in minutes.groups:
                roles = group_roles(group)
                out.append(f"<li>{escape(group.name)}{': ' + escape(roles) if roles else ''}</li>")
            out += ["</ul>", "</section>"]
        self.attendance()
        if minutes.by == "group":
            self.notes()
        self.breakdown()
        self.questions()
        if minutes.actions:
            out += ["<section>", f"<h2>{ACTIONS_TITLE}</h2>"]
            out += _table(ACTION_HEADER, minutes.action_lines())
            out.append("</section>")
        self.by_chapter()
        if minutes.glossary:
            out += ["<section>", f"<h2>{GLOSSARY_TITLE}</h2>", "<dl>"]
            for term in minutes.glossary:
                out.append(f"<dt>{escape(term.term)}</dt><dd>{escape(term.meaning)}</dd>")
            out += ["</dl>", "</section>"]
        out += ["</main>", "</body>", "</html>"]
        return out

    def attendance(self) -> None:
        """Who came (by role × level, then the named attendees) and apologies, if recorded."""
        minutes, out = self.minutes, self.out
        if minutes.attendees:
            header, *rows, total = minutes.attendance.lines()
            out += ["<section>", f"<h2>{ATTENDANCE_TITLE}</h2>"]
            out += _table(header, rows, total)
            if minutes.present:
                out += ["<ul>", *(f"<li>{escape(line)}</li>" for line in minutes.present), "</ul>"]
            out.append("</section>")
        if minutes.apologies:
            out += ["<section>", f"<h2>{APOLOGIES_TITLE}</h2>", "<ul>"]
            out += [f"<li>{escape(a.label)}</li>" for a in minutes.apologies]
            out += ["</ul>", "</section>"]

    def notes(self) -> None:
        out = self.out
        out += ["<section>", f"<h2>{NOTES_TITLE}</h2>"]
        for group in self.minutes.groups:
            out += ["<section>", f"<h3>{escape(group.name)}</h3>"]
            if not group.topics:
                out.append("<p>No points were recorded.</p>")
            for topic in group.topics:
                if topic.title:
                    out.append(f"<h4>{escape(topic.title)}</h4>")
                for block in topic.headings:
                    if block.title:
                        out.append(f"<h5>{escape(block.title)}</h5>")
                    self.tree(block.items)
            out.append("</section>")
        out.append("</section>")

    def tree(self, items: tuple[MinutesItem, ...]) -> None:
        """A <ul> of points, each sub-point list nested inside its parent's <li>."""
        out, text = self.out, self.text
        words: dict[str, str] = {}
        out.append("<ul>")
        written = 0
        for item in items:
            if not item.children:  # the usual case: one line, no nesting
                point = item.point
                word = words.get(point.kind)
                if word is None:
                    word = words[point.kind] = self.word(point)
                out.append(f"<li>{word}{text[point.number]}</li>")
                written += 1
                continue
            depth = 0
            for level, point in walk((item,)):
                if level > depth:
                    out[-1] = out[-1].removesuffix("</li>") + "<ul>"
                while level < depth:
                    out.append("</ul></li>")
                    depth -= 1
                depth = level
                out.append(f"<li>{self.word(point)}{text[point.number]}</li>")
                written += 1
            out += ["</ul></li>"] * depth
        out.append("</ul>")
        self.steps.advance(written)

    @staticmethod
    def word(point: PointRecord) -> str:
        word = point.kind_word
        return f'<span class="kind">{escape(word)}:</span> ' if word else ""

    def breakdown(self) -> None:
        """Seed 000's table, then its notes, then the chart."""
        table, out = self.minutes.breakdown, self.out
        header, *rows, total = breakdown_lines(table)
        out += ["<section>", f"<h2>{BREAKDOWN_TITLE}</h2>", "<table>"]
        out.append(f"<caption>{escape(table.title)}</caption>")
        out.append(
            "<thead><tr>" + "".join(f'<th scope="col">{escape(str(c))}</th>' for c in header)
        )
        out.append("</tr></thead>")
        out.append("<tbody>")
        out += ["<tr>" + _cells(row) + "</tr>" for row in rows]
        out += ["</tbody>", "<tfoot><tr>" + _cells(total) + "</tr></tfoot>", "</table>"]
        out += [f"<p>{escape(note)}</p>" for note in table.notes]
        if self.chart:
            data = base64.b64encode(self.chart).decode("ascii")
            alt = "; ".join(f"{r.code} {r.label}: {r.count}".strip() for r in table.rows)
            out += [
                "<figure>", f'<img src="data:image/png;base64,{data}" '
                f'alt="{escape("Bar chart of points by chapter. " + alt)}">',
                f"<figcaption>{escape(table.title)}</figcaption>", "</figure>",
            ]  # fmt: skip
        out.append("</section>")

    def questions(self) -> None:
        out, text = self.out, self.text
        out += ["<section>", f"<h2>{QUESTIONS_TITLE}</h2>"]
        if self.minutes.questions:
            out.append("<ul>")
            for p in self.minutes.questions:
                out.append(f"<li>{text[p.number]}{self.where(p, topic=False)}</li>")
            out.append("</ul>")
        else:
            out.append("<p>No questions were raised.</p>")
        self.steps.advance(len(self.minutes.questions))
        out.append("</section>")

    def by_chapter(self) -> None:
        out, text = self.out, self.text
        out += ["<section>", f"<h2>{escape(self.minutes.chapters_title)}</h2>"]
        for chapter in self.minutes.chapters:
            out += ["<section>", f"<h3>{escape(chapter.label)}</h3>"]
            for kind in chapter.kinds:
                out += [f"<h4>{escape(kind.label)}</h4>", "<ul>"]
                places, where = self.places, self.where
                out += [
                    f"<li>{text[p.number]}{places.get((p.group, p.topic)) or where(p)}</li>"
                    for p in kind.points
                ]
                out.append("</ul>")
                self.steps.advance(len(kind.points))
            out.append("</section>")
        if not self.minutes.chapters:
            out.append("<p>No points to list.</p>")
        out.append("</section>")


def _cells(line: list[str | int]) -> str:
    """A table row's cells: the label as a row header, numbers right-aligned."""
    cells = []
    for i, cell in enumerate(line):
        value = escape(str(cell))
        if i == len(line) - 3:
            cells.append(f'<th scope="row">{value}</th>')
        elif i >= len(line) - 2:
            cells.append(f'<td class="number">{value}</td>')
        else:
            cells.append(f"<td>{value}</td>")
    return "".join(cells)


def _table(
    header: Sequence[str | int], rows: Sequence[Sequence[str | int]], total: Sequence | None = None
) -> list[str]:
    """A plain table: the header row, the rows (numbers right-aligned), an optional total."""

    def cells(line: Sequence[str | int]) -> str:
        return "".join(
            f'<td class="number">{c}</td>' if isinstance(c, int) else f"<td>{escape(c)}</td>"
            for c in line
        )

    out = ["<table>", "<thead><tr>"]
    out[-1] += "".join(f'<th scope="col">{escape(str(c))}</th>' for c in header) + "</tr></thead>"
    out += ["<tbody>", *(f"<tr>{cells(row)}</tr>" for row in rows), "</tbody>"]
    if total is not None:
        out.append(f"<tfoot><tr>{cells(total)}</tr></tfoot>")
    out.append("</table>")
    return out
