"""The minutes as a Word document (python-docx): real Title and Heading 1-4 styles, so Word's
and LibreOffice's navigation panes list groups, topics and chapters; real List Bullet /
List Bullet 2 / List Bullet 3 bullets for points and sub-points; a real table (with a
repeating header row) for the breakdown by chapter; the chart as an inline picture; A4.

python-docx's `add_paragraph(style=...)` looks the style up among all the document's styles
on every call, about a millisecond each: 100,000 points would take minutes. So paragraphs
are written as the WordprocessingML python-docx itself writes (w:p, w:pPr/w:pStyle,
w:r/w:rPr/w:t), style ids resolved once, a few thousand at a time as one XML fragment parsed
by python-docx's own parser (libxml2 parses far faster than elements can be built one by
one). Text is XML-escaped; line breaks and tabs become w:br and w:tab as in python-docx.
The table and the picture use the public API. The result is an ordinary python-docx document.

    write_docx(collect_minutes(store, event_id), chart_png, path)
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from html import escape
from pathlib import Path
from typing import Any

from sendtui.exporters.docx_setup import add_page_furniture, keep_rows_whole, new_document
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
    Steps,
    group_roles,
    said_in,
    walk,
)
from sendtui.exporters.records import XML_UNSAFE, PointRecord
from sendtui.exporters.tables import breakdown_lines
from sendtui.text import xml_safe

BULLETS = ("List Bullet", "List Bullet 2", "List Bullet 3")  # deeper sub-points use the last
PICTURE_WIDTH_CM = 15.5
# At most 11 cm tall: a chart and its heading that must move to the next page together
# leave at most about a third of a page blank (a tall chart is drawn narrower instead).
PICTURE_HEIGHT_CM = 11.0
CHART_TITLE = "Chart: points per chapter"
PRIVATE = " (private)"
COLUMNS_CM = (1.2, 9.6, 2.2, 2.9)  # the breakdown: code, description, count, percentage
ACTION_COLUMNS_CM = (7.6, 3.9, 2.9, 1.5)  # what, who, by when, done
TABLE_FONT_PT = 9  # attendance and actions: "Participation" fits a column of a quarter
TEXT_WIDTH_CM = 15.9  # A4 less python-docx's one-inch margins
CHUNK = 4000  # paragraphs parsed at a time
_BREAKS = re.compile(r"\r\n?|\n|\t")
_SEPARATOR = "\x1e"  # cannot occur in text that has been through xml_safe


def xml_text(texts: list[str]) -> list[str]:
    """Each text as the inside of a w:t: XML-safe, escaped (in one pass over them all),
    with line breaks and tabs as w:br and w:tab."""
    if not texts:
        return []
    safe = "".join(texts)
    if XML_UNSAFE.search(safe):
        texts = [xml_safe(t) for t in texts]
    done = escape(_SEPARATOR.join(texts), quote=False).split(_SEPARATOR)
    for i, text in enumerate(done):
        if "\n" in text or "\r" in text or "\t" in text:
            done[i] = _BREAKS.sub(_break, text)
    return done


def _break(match: re.Match[str]) -> str:
    tag = "w:tab" if match.group(0) == "\t" else "w:br"
    return f'</w:t><{tag}/><w:t xml:space="preserve">'


def run(text: str, look: str = "") -> str:
    """A w:r for already-escaped text; look "b" bold, "i" italic."""
    if not text:
        return ""
    props = f"<w:rPr><w:{look}/></w:rPr>" if look else ""
    return f'<w:r>{props}<w:t xml:space="preserve">{text}</w:t></w:r>'


class _Body:
    """Collects paragraphs as XML and adds them to the document's body in chunks. The final
    section properties are set aside while it works, so each chunk is simply appended, and
    put back for python-docx's own calls (see public())."""

    def __init__(self, document) -> None:
        from docx.oxml.ns import nsdecls
        from docx.oxml.parser import oxml_parser

        self.document, self.parser = document, oxml_parser
        self.element = document.element.body
        self.section = self.element.sectPr
        self.element.remove(self.section)
        self.open = f"<w:body {nsdecls('w')}>"
        self.parts: list[str] = []
        self.starts: dict[str | None, str] = {None: "<w:p>"}

    def start(self, style: str | None) -> str:
        """The opening of a paragraph in `style`, its id looked up once."""
        if style not in self.starts:
            style_id = self.document.styles[style].style_id
            self.starts[style] = f'<w:p><w:pPr><w:pStyle w:val="{style_id}"/></w:pPr>'
        return self.starts[style]

    def add(self, style: str | None, runs: str, *, keep_next: bool = False) -> None:
        """A paragraph of ready-made runs (see run()); `keep_next` keeps it on the same page
        as the paragraph after it (a template's headings may not)."""
        start = self.start(style)
        if keep_next:
            start = (
                start.replace("</w:pPr>", "<w:keepNext/></w:pPr>")
                if "<w:pPr>" in start
                else "<w:p><w:pPr><w:keepNext/></w:pPr>"
            )
        self.parts.append(f"{start}{runs}</w:p>")
        if len(self.parts) >= CHUNK:
            self.flush()

    def text(self, style: str | None, text: str, look: str = "") -> None:
        self.add(style, run(xml_text([text])[0], look))

    def flush(self) -> None:
        from lxml import etree

        if self.parts:
            xml = self.open + "".join(self.parts) + "</w:body>"
            self.element.extend(etree.fromstring(xml.encode("utf-8"), self.parser))
            self.parts.clear()

    @contextmanager
    def public(self) -> Iterator[None]:
        """For python-docx's API: the paragraphs so far in place, the section back last."""
        self.flush()
        self.element.append(self.section)
        try:
            yield
        finally:
            self.element.remove(self.section)

    def close(self) -> None:
        self.flush()
        self.element.append(self.section)


def write_docx(
    minutes: MinutesData,
    chart_png: bytes | None,
    path: Path,
    steps: Steps | None = None,
    template: Path | None = None,
    *,
    document: Any = None,
) -> None:
    """Write the minutes to `path` (a temporary file: the caller renames it into place),
    starting from the forum's Word `template` if there is one (or from `document`, made by
    docx_setup.new_document)."""
    steps = steps or Steps(None, 0)
    document = new_document(template) if document is None else document
    add_page_furniture(document, minutes.forum_name, minutes.event.title)
    properties = document.core_properties
    properties.title = xml_safe(minutes.event.title)
    properties.author = xml_safe(minutes.forum_name)
    properties.comments = "Minutes written by sendtui"
    body = _Body(document)
    points = minutes.points
    private = run(PRIVATE, "i")
    text = {
        p.number: run(t) + private if p.private else run(t)
        for p, t in zip(points, xml_text([p.text for p in points]), strict=True)
    }
    body.text("Title", minutes.event.title)
    for label, value in minutes.details():
        body.add(None, run(f"{label}: ", "b") + run(xml_text([value])[0]))
    if minutes.facilitated:
        body.text("Heading 1", GROUPS_TITLE)
        for group in minutes.groups:
            roles = group_roles(group)
            body.text(BULLETS[0], f"{group.name}: {roles}" if roles else group.name)
    _attendance(minutes, document, body)
    if minutes.by == "group":
        _notes(minutes, body, text, steps)
    _breakdown(minutes, document, body, chart_png)
    places: dict[tuple[str, str], str] = {}
    body.text("Heading 1", QUESTIONS_TITLE)
    for point in minutes.questions:
        body.add(BULLETS[0], text[point.number] + _where(point, places, topic=False))
    steps.advance(len(minutes.questions))
    if not minutes.questions:
        body.text(None, "No questions were raised.")
    if minutes.actions:
        body.text("Heading 1", ACTIONS_TITLE)
        lines = [list(ACTION_HEADER), *map(list, minutes.action_lines())]
        _table(document, body, lines, widths=ACTION_COLUMNS_CM)
    body.text("Heading 1", minutes.chapters_title)
    for chapter in minutes.chapters:
        body.text("Heading 2", chapter.label)
        for kind in chapter.kinds:
            body.text("Heading 3", kind.label)
            for point in kind.points:
                body.add(BULLETS[0], text[point.number] + _where(point, places))
            steps.advance(len(kind.points))
    if not minutes.chapters:
        body.text(None, "No points to list.")
    if minutes.glossary:
        body.text("Heading 1", GLOSSARY_TITLE)
        for term in minutes.glossary:
            term_xml, meaning = xml_text([term.term, f": {term.meaning}"])
            body.add(None, run(term_xml, "b") + run(meaning))
    body.close()
    document.save(str(path))


def _where(point: PointRecord, places: dict[tuple[str, str], str], *, topic: bool = True) -> str:
    """ " — Green Group, Local Offer" in italics, made once per group and topic."""
    key = (point.group, point.topic if topic else "")
    if key not in places:
        places[key] = run(xml_text([f" — {said_in(point, topic=topic)}"])[0], "i")
    return places[key]


def _notes(minutes: MinutesData, body: _Body, text: dict[int, str], steps: Steps) -> None:
    """The groups' flipchart notes: Heading 1 for the section, 2 for each group, 3 for each
    topic, 4 for each flipchart heading; points as bullets, sub-points one level in."""
    body.text("Heading 1", NOTES_TITLE)
    words: dict[str, str] = {}
    for group in minutes.groups:
        body.text("Heading 2", group.name)
        if not group.topics:
            body.text(None, "No points were recorded.")
        for topic in group.topics:
            if topic.title:
                body.text("Heading 3", topic.title)
            for block in topic.headings:
                if block.title:
                    body.text("Heading 4", block.title)
                written = 0
                for item in block.items:
                    pairs = walk((item,)) if item.children else ((0, item.point),)
                    for depth, point in pairs:
                        word = words.get(point.kind)
                        if word is None:
                            label = point.kind_word
                            word = words[point.kind] = (
                                run(xml_text([f"{label}: "])[0], "b") if label else ""
                            )
                        style = BULLETS[min(depth, len(BULLETS) - 1)]
                        body.add(style, word + text[point.number])
                        written += 1
                steps.advance(written)


def _breakdown(minutes: MinutesData, document, body: _Body, chart_png: bytes | None) -> None:
    """Seed 000's table as a real Word table: a header row that repeats on each page, rows
    that never split across pages, the chapters, and the Total row in bold; then the notes,
    and the chart under a heading of its own that keeps with it."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    breakdown = minutes.breakdown
    body.text("Heading 1", BREAKDOWN_TITLE)
    body.text(None, breakdown.title, "b")
    lines = breakdown_lines(breakdown)
    with body.public():
        table = document.add_table(rows=len(lines), cols=len(lines[0]))
    table.style = document.styles["Table Grid"]
    table.autofit = False
    widths = [Cm(w) for w in COLUMNS_CM[-len(lines[0]) :]]
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width  # the grid, which LibreOffice reads
    keep_rows_whole(table)
    last = len(lines) - 1
    for r, (line, row) in enumerate(zip(lines, table.rows, strict=True)):
        for c, (value, cell) in enumerate(zip(line, row.cells, strict=True)):
            cell.width = widths[c]  # and each cell, which Word reads
            paragraph = cell.paragraphs[0]
            paragraph.add_run(xml_safe(str(value))).bold = r in (0, last)
            if isinstance(value, int) or str(value).endswith("%"):
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for note in breakdown.notes:
        body.text(None, note)
    if chart_png:
        body.add("Heading 2", run(CHART_TITLE), keep_next=True)
        width, height = picture_size(chart_png)
        with body.public():
            document.add_picture(io.BytesIO(chart_png), width=Cm(width), height=Cm(height))


def picture_size(png: bytes) -> tuple[float, float]:
    """The chart's width and height in cm: the full text width, or narrower so that it is at
    most PICTURE_HEIGHT_CM tall (read from the PNG's header: width and height in pixels)."""
    pixels_wide = int.from_bytes(png[16:20], "big")
    pixels_high = int.from_bytes(png[20:24], "big")
    height = PICTURE_WIDTH_CM * pixels_high / max(pixels_wide, 1)
    if height <= PICTURE_HEIGHT_CM:
        return PICTURE_WIDTH_CM, height
    return PICTURE_WIDTH_CM * PICTURE_HEIGHT_CM / height, PICTURE_HEIGHT_CM


def _attendance(minutes: MinutesData, document, body: _Body) -> None:
    """Who came, by role × level of involvement, then the named attendees; apologies."""
    if minutes.attendees:
        body.text("Heading 1", ATTENDANCE_TITLE)
        lines = minutes.attendance.lines()
        levels = len(lines[0]) - 2  # between the role and the total
        width = min(3.0, (TEXT_WIDTH_CM - 2.5 - 1.5) / max(levels, 1))
        _table(document, body, lines, total=True, widths=(2.5, *[width] * levels, 1.5))
        for line in minutes.present:
            body.text(BULLETS[0], line)
    if minutes.apologies:
        body.text("Heading 1", APOLOGIES_TITLE)
        for apology in minutes.apologies:
            body.text(BULLETS[0], apology.label)


def _table(
    document,
    body: _Body,
    lines: list[list[str | int]],
    *,
    widths: tuple[float, ...],
    total: bool = False,
) -> None:
    """A Table Grid table with column `widths` (cm): a bold header row that repeats, rows
    that never split, numbers right-aligned, the last row bold if it is a `total`."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    with body.public():
        table = document.add_table(rows=len(lines), cols=len(lines[0]))
    table.style = document.styles["Table Grid"]
    table.autofit = False
    sizes = [Cm(w) for w in widths]
    for column, size in zip(table.columns, sizes, strict=True):
        column.width = size  # the grid, which LibreOffice reads
    keep_rows_whole(table)
    last = len(lines) - 1
    for r, (line, row) in enumerate(zip(lines, table.rows, strict=True)):
        for value, cell, size in zip(line, row.cells, sizes, strict=True):
            cell.width = size  # and each cell, which Word reads
            paragraph = cell.paragraphs[0]
            text = paragraph.add_run(xml_safe(str(value)))
            text.bold, text.font.size = r == 0 or (total and r == last), Pt(TABLE_FONT_PT)
            if isinstance(value, int):
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
