"""Export floors: each export's content written the plainest fast way, with the library only.

    python tests/bench/floors.py FORMAT STORE.db OUT      # one floor as a whole process

A floor reads the event's rows plainly: one query for the points (joined to their group and
topic), one for all chapter tags and one for all marker tags of the event, put together in
Python (no correlated subquery per row). It writes them with csv / openpyxl / python-docx /
msgspec (JSON) or plain string building (Markdown, HTML), with no layout, escaping beyond
the simplest, or safety work. Where sendtui's export draws the chapter chart (HTML, Word),
the floor draws one too, with matplotlib, so the chart is on both sides or neither.
Only the standard library and those libraries are imported: nothing from sendtui.
"""

from __future__ import annotations

import base64
import csv
import html
import io
import re
import sqlite3
import sys
from collections import Counter, defaultdict
from pathlib import Path

KIND_WORDS = {"question": "Question", "positive": "Positive", "negative": "Negative",
              "concern": "Concern", "solution": "Solution", "action": "Action",
              "point": ""}  # fmt: skip
LISTED = ("positive", "negative", "concern", "question", "solution")
FORMATS = ("csv", "md", "html", "json", "xlsx", "docx")
WITH_CHART = ("html", "docx")

POINTS_SQL = """
SELECT p.id, p.parent_id, g.name, coalesce(t.title, ''), p.heading, p.kind, p.text,
       p.section_ref, p.note_taker, p.created_at, p.private, p.uuid, p.position
FROM point p JOIN discussion_group g ON g.id = p.group_id LEFT JOIN topic t ON t.id = p.topic_id
WHERE p.event_id = ? AND p.deleted_at IS NULL {private} ORDER BY p.position, p.uuid
"""
CHAPTERS_SQL = """
SELECT pc.point_id, c.code, c.title FROM point_chapter pc JOIN chapter c ON c.id = pc.chapter_id
JOIN point p ON p.id = pc.point_id WHERE p.event_id = ? ORDER BY c.position
"""
MARKERS_SQL = """
SELECT pm.point_id, m.code FROM point_marker pm JOIN marker m ON m.id = pm.marker_id
JOIN point p ON p.id = pm.point_id WHERE p.event_id = ? ORDER BY m.position
"""


class Floor:
    def __init__(self, conn: sqlite3.Connection, event_id: int) -> None:
        self.conn, self.event_id = conn, event_id
        self.chapters = conn.execute(
            "SELECT c.code, c.title FROM chapter c JOIN event e ON e.scheme_id = c.scheme_id "
            "WHERE e.id = ? ORDER BY c.position", (event_id,)
        ).fetchall()  # fmt: skip
        self.title = conn.execute("SELECT title FROM event WHERE id = ?", (event_id,)).fetchone()[0]

    def read(self, *, include_private: bool = False) -> list[tuple]:
        """Points as tuples: the query's columns, then chapter codes, titles, marker codes."""
        private = "" if include_private else "AND NOT p.private"
        rows = self.conn.execute(POINTS_SQL.format(private=private), (self.event_id,)).fetchall()
        codes: dict[int, list[str]] = defaultdict(list)
        titles: dict[int, list[str]] = defaultdict(list)
        for point_id, code, title in self.conn.execute(CHAPTERS_SQL, (self.event_id,)):
            codes[point_id].append(code)
            titles[point_id].append(title)
        markers: dict[int, list[str]] = defaultdict(list)
        for point_id, code in self.conn.execute(MARKERS_SQL, (self.event_id,)):
            markers[point_id].append(code)
        return [
            (*r, "; ".join(codes.get(r[0], ())), "; ".join(titles.get(r[0], ())),
             "; ".join(markers.get(r[0], ())))
            for r in rows
        ]  # fmt: skip

    # columns after the query's 13: 13 chapter codes, 14 chapter titles, 15 marker codes

    def data_rows(self, points: list[tuple]) -> list[list]:
        number = {p[0]: n for n, p in enumerate(points, start=1)}
        return [
            [n, self.title, p[2], p[3], p[4], number.get(p[1], ""), p[5], p[6], p[13], p[14],
             p[15], p[7], "", p[8], p[9]]
            for n, p in enumerate(points, start=1)
        ]  # fmt: skip

    def chart(self, points: list[tuple]) -> bytes:
        """Points per chapter as a horizontal bar chart (PNG), drawn with matplotlib."""
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        counts = Counter(code for p in points for code in p[13].split("; ") if code)
        labels = [f"{code} {title}"[:38] for code, title in self.chapters]
        values = [counts.get(code, 0) for code, _ in self.chapters]
        figure = Figure(figsize=(8, max(2.5, 0.9 + 0.34 * len(labels))), dpi=100)
        FigureCanvasAgg(figure)
        axes = figure.add_subplot()
        axes.barh(range(len(values)), values)
        axes.set_yticks(range(len(values)), labels=labels)
        figure.tight_layout()
        out = io.BytesIO()
        figure.savefig(out, format="png", dpi=100)
        return out.getvalue()

    def paragraphs(self, points: list[tuple]) -> list[tuple[str, str, str]]:
        """(style, bold lead, text) for the minutes: notes, questions, by chapter."""
        out: list[tuple[str, str, str]] = []
        place = None
        for p in points:
            if (p[2], p[3], p[4]) != place:
                if place is None or p[2] != place[0]:
                    out.append(("Heading 2", "", p[2]))
                if place is None or p[3] != place[1]:
                    out.append(("Heading 3", "", p[3]))
                out.append(("Heading 4", "", p[4]))
                place = (p[2], p[3], p[4])
            word = KIND_WORDS.get(p[5], "")
            style = "List Bullet 2" if p[1] else "List Bullet"
            out.append((style, f"{word}: " if word else "", p[6]))
        out.append(("Heading 1", "", "Questions raised"))
        out += [("List Bullet", "", f"{p[6]} — {p[2]}") for p in points if p[5] == "question"]
        by_chapter: dict[str, list[tuple]] = {}
        for p in points:
            if p[5] in LISTED:
                for code in p[13].split("; "):
                    by_chapter.setdefault(code, []).append(p)
        for code, listed in by_chapter.items():
            out.append(("Heading 2", "", code))
            out += [("List Bullet", "", f"{p[6]} — {p[2]}, {p[3]}") for p in listed]
        return out

    # -- the formats ----------------------------------------------------------------------

    def csv(self, path: Path) -> None:
        rows = self.data_rows(self.read())
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["No."] * 15)
            writer.writerows(rows)

    def xlsx(self, path: Path) -> None:
        from openpyxl import Workbook

        points = self.read()
        codes = [c for c, _ in self.chapters]
        book = Workbook(write_only=True)
        sheet = book.create_sheet("Points")
        sheet.append(["No."] * 15)
        for row in self.data_rows(points):
            sheet.append(row)
        chapters = book.create_sheet("Chapters")
        for code, title in self.chapters:
            chapters.append([code, title, 0, 0])
        matrix = book.create_sheet("Matrix")
        matrix.append(["No.", "Text", *(f"{c} {t}" for c, t in self.chapters)])
        for n, p in enumerate(points, start=1):
            tags = p[13].split("; ")
            matrix.append([n, p[6], *(1 if c in tags else 0 for c in codes)])
        book.save(str(path))

    def json(self, path: Path) -> None:
        """Everything (private points too), as the dump has it, encoded with msgspec."""
        import msgspec

        points = self.read(include_private=True)
        keys = ("id", "parent_id", "group", "topic", "heading", "kind", "text", "section_ref",
                "note_taker", "created_at", "private", "uuid", "position", "chapters",
                "chapter_titles", "markers")  # fmt: skip
        data = {
            "title": self.title,
            "chapters": [{"code": c, "title": t} for c, t in self.chapters],
            "points": [dict(zip(keys, p, strict=True)) for p in points],
        }
        text = msgspec.json.format(msgspec.json.encode(data), indent=2)
        path.write_bytes(text)

    def text(self, path: Path, fmt: str) -> None:
        """Markdown or HTML: the same lines, escaped with the simplest escaping there is."""
        points = self.read()
        if fmt == "html":
            escape, item = html.escape, "<li>{}</li>"
        else:
            specials = re.compile(r"[\\`*_\[\]<>|~#]")
            escape, item = (lambda s: specials.sub(r"\\\g<0>", s)), "- {}"
        lines = [
            item.format(escape(f"{lead}{text}")) if style.startswith("List") else escape(text)
            for style, lead, text in self.paragraphs(points)
        ]
        if fmt == "html":
            picture = base64.b64encode(self.chart(points)).decode("ascii")
            lines.append(f'<img src="data:image/png;base64,{picture}">')
        path.write_text("\n".join(lines), encoding="utf-8")

    def docx(self, path: Path) -> None:
        """python-docx driven the fastest way (its XML built with lxml), plus the chart."""
        from docx import Document
        from docx.oxml.ns import qn
        from docx.shared import Cm
        from lxml import etree

        points = self.read()
        content = self.paragraphs(points)
        document = Document()
        names = {style for style, _, _ in content}
        ids = {name: document.styles[name].style_id for name in names}
        anchor, sub = document.element.body.sectPr, etree.SubElement
        p_, ppr, ps, r_, rpr, b_, t_, val = (qn(f"w:{x}") for x in
            ("p", "pPr", "pStyle", "r", "rPr", "b", "t", "val"))  # fmt: skip
        for style, lead, text in content:
            p = etree.Element(p_)
            sub(sub(p, ppr), ps).set(val, ids[style])
            if lead:
                r = sub(p, r_)
                sub(sub(r, rpr), b_)
                sub(r, t_).text = lead
            sub(sub(p, r_), t_).text = text
            anchor.addprevious(p)
        table = document.add_table(rows=len(self.chapters) + 2, cols=4)
        for row, (code, title) in zip(table.rows[1:], self.chapters, strict=False):
            row.cells[0].text, row.cells[1].text = code, title
        document.add_picture(io.BytesIO(self.chart(points)), width=Cm(15.5))
        document.save(str(path))

    def write(self, fmt: str, path: Path) -> None:
        if fmt in ("md", "html"):
            self.text(path, fmt)
        else:
            getattr(self, fmt)(path)


def write_floor(fmt: str, db: Path, out: Path) -> None:
    conn = sqlite3.connect(f"{db.absolute().as_uri()}?mode=ro", uri=True)
    event_id = conn.execute("SELECT min(id) FROM event").fetchone()[0]
    Floor(conn, event_id).write(fmt, out)
    conn.close()


if __name__ == "__main__":
    write_floor(sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]))
