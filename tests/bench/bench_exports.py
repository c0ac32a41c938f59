"""Issue 3's export targets, measured (run by hand, not part of the test run):

    python tests/bench/bench_exports.py                  # every format, 100k points
    python tests/bench/bench_exports.py docx csv         # some formats
    python tests/bench/bench_exports.py --points 10000   # the 10k store
    python tests/bench/bench_exports.py --public-api     # also python-docx's public API

Each export (write_file, as the CLI and the TUI call it, after one untimed run so imports
are not counted) is timed against its "library floor": the same content written directly
with csv / openpyxl / python-docx (HTML and Markdown: plain string building), in the same
run, interleaved so both see the same load. The floor reads its rows with one plain SQL
query (correlated subqueries for the tags) and writes them with no layout, escaping or
safety work; "write only" is the library call alone on rows already in memory. "CPU" is the
export's own processor time, which other processes on the machine do not inflate. Targets:
each export ≤ 1.5 × its floor; Markdown ≤ 2 s.

The store is copied to a temporary folder first: the shared benchmark stores are never
written to.
"""

from __future__ import annotations

import base64
import csv
import html
import io
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from tests.bench.generate import cached_store  # noqa: E402

RUNS = {"md": 5, "html": 5, "csv": 5, "xlsx": 3, "docx": 2}
KIND_WORDS = {"question": "Question", "positive": "Positive", "negative": "Negative",
              "concern": "Concern", "solution": "Solution", "point": ""}  # fmt: skip
LISTED = ("positive", "negative", "concern", "question", "solution")
FLOOR_SQL = """
SELECT p.id, p.parent_id, g.name, coalesce(t.title, ''), p.heading, p.kind, p.text,
       p.section_ref, p.note_taker, p.created_at, p.private,
       (SELECT group_concat(code, '; ') FROM (SELECT c.code FROM point_chapter pc
            JOIN chapter c ON c.id = pc.chapter_id WHERE pc.point_id = p.id ORDER BY c.position)),
       (SELECT group_concat(title, '; ') FROM (SELECT c.title FROM point_chapter pc
            JOIN chapter c ON c.id = pc.chapter_id WHERE pc.point_id = p.id ORDER BY c.position)),
       (SELECT group_concat(code, '; ') FROM (SELECT m.code FROM point_marker pm
            JOIN marker m ON m.id = pm.marker_id WHERE pm.point_id = p.id ORDER BY m.position))
FROM point p JOIN discussion_group g ON g.id = p.group_id LEFT JOIN topic t ON t.id = p.topic_id
WHERE p.event_id = ? AND p.deleted_at IS NULL AND NOT p.private ORDER BY p.position
"""


def timed(action: Callable[[], object], cpu: list[float] | None = None) -> float:
    """Wall-clock seconds for `action`; its CPU seconds are appended to `cpu`."""
    start, start_cpu = time.perf_counter(), time.process_time()
    action()
    if cpu is not None:
        cpu.append(time.process_time() - start_cpu)
    return time.perf_counter() - start


class Floor:
    """The same content as each export, written directly with the library."""

    def __init__(self, conn, event_id: int, chart: bytes) -> None:
        self.conn, self.event_id, self.chart = conn, event_id, chart
        self.chapters = conn.execute(
            "SELECT c.code, c.title FROM chapter c JOIN event e ON e.scheme_id = c.scheme_id "
            "WHERE e.id = ? ORDER BY c.position", (event_id,)
        ).fetchall()  # fmt: skip
        self.title = conn.execute("SELECT title FROM event WHERE id = ?", (event_id,)).fetchone()[0]

    def read(self) -> list[tuple]:
        return self.conn.execute(FLOOR_SQL, (self.event_id,)).fetchall()

    def data_rows(self, points: list[tuple]) -> list[list]:
        number = {p[0]: n for n, p in enumerate(points, start=1)}
        return [
            [n, self.title, p[2], p[3], p[4], number.get(p[1], ""), p[5], p[6], p[11] or "",
             p[12] or "", p[13] or "", p[7], "", p[8], p[9]]
            for n, p in enumerate(points, start=1)
        ]  # fmt: skip

    def by_chapter(self, points: list[tuple]) -> dict[str, list[tuple]]:
        found: dict[str, list[tuple]] = {}
        for p in points:
            if p[5] in LISTED:
                for code in (p[11] or "").split("; "):
                    found.setdefault(code, []).append(p)
        return found

    # -- each format: (prepare from the query's rows, write) ----------------------------

    def csv(self, path: Path) -> tuple[Callable[[], object], Callable[[], object]]:
        rows: list[list] = []

        def prepare() -> None:
            rows[:] = self.data_rows(self.read())

        def write() -> None:
            with path.open("w", encoding="utf-8-sig", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow(["No."] * 15)
                writer.writerows(rows)

        return prepare, write

    def xlsx(self, path: Path) -> tuple[Callable[[], object], Callable[[], object]]:
        from openpyxl import Workbook

        content: dict[str, list] = {}

        def prepare() -> None:
            points = self.read()
            content["rows"] = self.data_rows(points)
            codes = [c for c, _ in self.chapters]
            content["matrix"] = [
                [n, p[6], *(1 if c in (p[11] or "").split("; ") else 0 for c in codes)]
                for n, p in enumerate(points, start=1)
            ]

        def write() -> None:
            book = Workbook(write_only=True)
            sheet = book.create_sheet("Points")
            sheet.append(["No."] * 15)
            for row in content["rows"]:
                sheet.append(row)
            chapters = book.create_sheet("Chapters")
            for code, title in self.chapters:
                chapters.append([code, title, 0, 0])
            matrix = book.create_sheet("Matrix")
            matrix.append(["No.", "Text", *(f"{c} {t}" for c, t in self.chapters)])
            for row in content["matrix"]:
                matrix.append(row)
            book.save(str(path))

        return prepare, write

    def paragraphs(self) -> list[tuple[str, str, str]]:
        """(style, bold lead, text) for the minutes: notes, questions, by chapter."""
        out: list[tuple[str, str, str]] = []
        points = self.read()
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
        for code, listed in self.by_chapter(points).items():
            out.append(("Heading 2", "", code))
            out += [("List Bullet", "", f"{p[6]} — {p[2]}, {p[3]}") for p in listed]
        return out

    def docx(self, path: Path, *, public_api: bool = False):
        from docx import Document
        from docx.oxml.ns import qn
        from docx.shared import Cm
        from lxml import etree

        content: list[tuple[str, str, str]] = []

        def prepare() -> None:
            content[:] = self.paragraphs()

        def write() -> None:
            document = Document()
            if public_api:  # the documented way, styles looked up once
                styles = {name: document.styles[name] for name in {s for s, _, _ in content}}
                for style, lead, text in content:
                    paragraph = document.add_paragraph(style=styles[style])
                    if lead:
                        paragraph.add_run(lead).bold = True
                    paragraph.add_run(text)
            else:  # the fastest way to drive python-docx: its XML, built with lxml
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
            document.add_picture(io.BytesIO(self.chart), width=Cm(15.5))
            document.save(str(path))

        return prepare, write

    def text(self, path: Path, fmt: str):
        """Markdown or HTML: the same lines, escaped with the simplest escaping there is."""
        lines: list[str] = []
        if fmt == "html":
            escape, item = html.escape, "<li>{}</li>"
        else:
            specials = re.compile(r"[\\`*_\[\]<>|~#]")
            escape, item = (lambda s: specials.sub(r"\\\g<0>", s)), "- {}"

        def prepare() -> None:
            lines[:] = [
                item.format(escape(f"{lead}{text}")) if style.startswith("List") else escape(text)
                for style, lead, text in self.paragraphs()
            ]

        def write() -> None:
            picture = base64.b64encode(self.chart).decode("ascii") if fmt == "html" else ""
            path.write_text("\n".join([*lines, picture]), encoding="utf-8")

        return prepare, write


def main(argv: list[str]) -> None:
    from sendtui.exporters import write_file
    from sendtui.exporters.chart import chapter_chart
    from sendtui.services.reports import chapter_breakdown
    from sendtui.store.store import Store

    points = int(argv[argv.index("--points") + 1]) if "--points" in argv else 100_000
    wanted = [a for a in argv if a in RUNS] or list(RUNS)
    source = cached_store(points)
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "bench.db"
        shutil.copy(source, db)
        store = Store(db)
        event_id = store.reader.execute("SELECT min(id) FROM event").fetchone()[0]
        chart = chapter_chart(chapter_breakdown(store.reader, event_id))
        floor = Floor(store.reader, event_id, chart)
        print(f"{points:,} points; median of runs, wall-clock seconds\n")
        print(f"{'format':7}{'export':>9}{'(CPU)':>9}{'floor':>9}{'(write only)':>14}"
              f"{'ratio':>8}   target")  # fmt: skip
        for fmt in wanted:
            out = Path(folder) / f"out.{fmt}"
            if fmt in ("md", "html"):
                prepare, write = floor.text(Path(folder) / f"floor.{fmt}", fmt)
            else:
                prepare, write = getattr(floor, fmt)(Path(folder) / f"floor.{fmt}")
            write_file(store, event_id, out, fmt)  # warm: imports (matplotlib, docx) once
            prepare()
            write()
            exports, floors, writes, cpu = [], [], [], []
            for _ in range(RUNS[fmt]):
                exports.append(
                    timed(lambda fmt=fmt, out=out: write_file(store, event_id, out, fmt), cpu)
                )
                read = timed(prepare)
                writes.append(timed(write))
                floors.append(read + writes[-1])
            e, f, w, c = (statistics.median(x) for x in (exports, floors, writes, cpu))
            target = "≤ 2 s and ≤ 1.5×" if fmt == "md" else "≤ 1.5×"
            print(f"{fmt:7}{e:9.2f}{c:9.2f}{f:9.2f}{w:14.2f}{e / f:8.2f}   {target}")
        if "--public-api" in argv:
            prepare, write = floor.docx(Path(folder) / "public.docx", public_api=True)
            prepare()
            print(f"\npython-docx public API (add_paragraph, styles looked up once): "
                  f"write only {timed(write):.1f} s")  # fmt: skip
        store.close()


if __name__ == "__main__":
    main(sys.argv[1:])
