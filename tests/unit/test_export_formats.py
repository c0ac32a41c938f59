"""Every export format: golden files for Markdown, HTML and CSV; DOCX and XLSX read back with
their own libraries; literal text; spreadsheet safety; atomic writes; the CLI.

Golden files live in tests/golden/. After a deliberate change to the output, regenerate them
with SENDTUI_UPDATE_GOLDEN=1 and read the diff before committing.
"""

from __future__ import annotations

import csv
import io
import os
import re
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from sendtui.cli import main
from sendtui.exporters import FORMATS, default_filename, write_file
from sendtui.exporters.chart import chapter_chart
from sendtui.exporters.files import ExportError
from sendtui.exporters.markdown import escape
from sendtui.services.events import EventService
from sendtui.services.reports import Breakdown, CountRow
from tests.conftest import DEMO_NOTES, MARKUP
from tests.unit.test_export_minutes import PRIVATE_TEXT, make_literal_event

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
UPDATE = os.environ.get("SENDTUI_UPDATE_GOLDEN") == "1"
LITERALS = [
    MARKUP, "*not bold* sub-point", "<script>alert(1)</script> sub-sub-point",
    "# not a heading", "=1+1 what would an EHC plan cost?", "=1+1",
    "1. not a numbered list _under_ ~~struck~~ `code` &amp; \\ back",
    "@not a marker, 'quoted' & \"double\"",
]  # fmt: skip


@pytest.fixture
def literal(opened, config, tmp_path: Path) -> int:
    return make_literal_event(opened, config, tmp_path)


def normalised(fmt: str, text: str) -> str:
    """Output with what changes run to run taken out: the chart's bytes, the times."""
    if fmt == "html":
        return re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "data:image/png;base64,CHART", text)
    if fmt == "csv":
        return re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ(?=\r\n)", "TIME", text)
    return text


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    assert path.exists(), f"{path} is missing: run with SENDTUI_UPDATE_GOLDEN=1 to make it"
    assert text == path.read_bytes().decode("utf-8"), f"{name} differs from the golden file"


def export(store, event_id: int, folder: Path, fmt: str, **options) -> Path:
    return write_file(
        store, event_id, folder / f"out.{fmt}", fmt, forum_name="Anytown PCF", **options
    )


@pytest.mark.parametrize("fmt", ["md", "html", "csv"])
def test_demo_matches_golden(store, demo_event: int, tmp_path: Path, fmt: str) -> None:
    written = export(store, demo_event, tmp_path, fmt)
    check_golden(f"demo.{fmt}", normalised(fmt, written.read_bytes().decode("utf-8")))


@pytest.mark.parametrize(
    ("fmt", "name", "options"),
    [
        ("md", "literal.md", {}),
        ("html", "literal.html", {}),
        ("csv", "literal.csv", {}),
        ("md", "literal-by-chapter-private.md", {"by": "chapter", "include_private": True}),
        ("csv", "literal-by-chapter-private.csv", {"by": "chapter", "include_private": True}),
    ],
)
def test_literal_matches_golden(
    store, literal: int, tmp_path: Path, fmt: str, name: str, options: dict
) -> None:
    written = export(store, literal, tmp_path, fmt, **options)
    check_golden(name, normalised(fmt, written.read_bytes().decode("utf-8")))


class _Text(HTMLParser):
    """Every tag seen, and the text of each list item, heading, <em> and <strong> (a list
    item's own text ends where its sub-list starts)."""

    KEPT = ("li", "h1", "h2", "h3", "h4", "h5", "em", "strong")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text: dict[str, list[str]] = {tag: [] for tag in self.KEPT}
        self._open: list[list[str]] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        self.tags.append(tag)
        if tag in self.KEPT:
            self._open.append([tag, ""])
        elif tag == "ul" and self._open and self._open[-1][0] == "li":
            self._close()

    def handle_endtag(self, tag: str) -> None:
        if self._open and self._open[-1][0] == tag:
            self._close()

    def _close(self) -> None:
        tag, text = self._open.pop()
        self.text[tag].append(" ".join(text.split()))

    def handle_data(self, data: str) -> None:
        for element in self._open:
            element[1] += data

    @property
    def items(self) -> list[str]:
        return self.text["li"]

    @property
    def headings(self) -> list[str]:
        return [t for tag in ("h1", "h2", "h3", "h4", "h5") for t in self.text[tag]]


def parsed(html: str) -> _Text:
    parser = _Text()
    parser.feed(html)
    return parser


def markdown_html(text: str) -> str:
    return MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(text)


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_text_is_literal_in_minutes(store, literal: int, tmp_path: Path, fmt: str) -> None:
    text = export(store, literal, tmp_path, fmt).read_text(encoding="utf-8")
    page = parsed(markdown_html(text) if fmt == "md" else text)
    assert not {"script", "code", "del", "s", "a", "pre", "ol"} & set(page.tags)
    # The only emphasis is the minutes' own: kind words, glossary terms, where points were made.
    kinds = {"Concern:", "Question:", "Solution:", "Positive:", "Negative:"}
    terms = {"EHC plan", "LA", "Local Offer", "PCF", "commissioning", "consultation",
             "joint commissioning", "key worker"}  # fmt: skip
    assert set(page.text["strong"]) - kinds <= terms
    assert {em.removeprefix("— ").split(",")[0] for em in page.text["em"]} <= {
        "Green Group",
        "Red Group",
    }
    for literal_text in LITERALS:
        assert any(item.endswith(literal_text) for item in page.items), literal_text
    assert "Q. Local Offer [draft] #" in page.headings
    assert page.headings.count("General Points") == 1
    assert PRIVATE_TEXT not in text


@given(st.text(st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\n\r\t\x1e")))
def test_markdown_escape_is_literal_for_any_text(text: str) -> None:
    html = markdown_html("- " + escape(text) + "\n")
    assert parsed(html).items == [" ".join(text.split())]


def test_docx_reads_back_with_real_styles(store, literal: int, tmp_path: Path) -> None:
    from docx import Document

    document = Document(str(export(store, literal, tmp_path, "docx")))
    styles = [(p.style.name, p.text) for p in document.paragraphs]
    used = {name for name, _ in styles}
    assert {"Title", "Heading 1", "Heading 2", "Heading 3", "Heading 4"} <= used
    assert {"List Bullet", "List Bullet 2", "List Bullet 3"} <= used
    assert ("Title", "Literal text consultation") in styles
    assert ("Heading 2", "Green Group") in styles and ("Heading 4", "SOLUTIONS") in styles
    assert ("List Bullet", MARKUP) in styles
    assert ("List Bullet 2", "*not bold* sub-point") in styles
    assert ("List Bullet 3", "<script>alert(1)</script> sub-sub-point") in styles
    assert ("List Bullet", "Concern: # not a heading") in styles
    concern = next(p for p in document.paragraphs if p.text == "Concern: # not a heading")
    assert [(r.text, bool(r.bold)) for r in concern.runs] == [
        ("Concern: ", True), ("# not a heading", False),
    ]  # fmt: skip
    (table,) = document.tables
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0] == ["", "Description", "Count", "Percentage"]
    assert rows[5] == ["4", "The Local Offer", "3", "25.00%"]
    assert rows[-1] == ["", "Total", "12", "100.00%"]
    assert len(document.inline_shapes) == 1
    assert all(PRIVATE_TEXT not in text for _, text in styles)
    assert document.core_properties.title == "Literal text consultation"
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)


def test_xlsx_reads_back_with_three_sheets(store, literal: int, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    book = load_workbook(export(store, literal, tmp_path, "xlsx"))
    assert book.sheetnames[:3] == ["Points", "Chapters", "Matrix"]
    points = [[c.value for c in row] for row in book["Points"].iter_rows()]
    assert points[0][:8] == [
        "No.",
        "Event",
        "Group",
        "Topic",
        "Heading",
        "Sub-point of",
        "Kind",
        "Text",
    ]
    assert len(points) == 1 + 11  # the header and every point but the private one
    texts = [row[7] for row in points[1:]]
    assert set(LITERALS) <= set(texts) and PRIVATE_TEXT not in texts
    assert points[2][5] == 1  # the sub-point names its parent's number
    formulas = [
        c.coordinate for s in book for row in s.iter_rows() for c in row if c.data_type == "f"
    ]
    assert formulas == []
    chapters = [[c.value for c in row] for row in book["Chapters"].iter_rows()]
    assert chapters[0] == ["Code", "Description", "Count", "Percentage"]
    assert chapters[5][:3] == ["4", "The Local Offer", 3]
    assert Decimal(str(chapters[5][3])) == Decimal("0.25")
    assert book["Chapters"]["D6"].number_format == "0.00%"
    total = next(row for row in chapters if row[1] == "Total")
    assert total[2] == 12 and total[3] == 1
    matrix = [[c.value for c in row] for row in book["Matrix"].iter_rows()]
    assert matrix[0][:3] == ["No.", "Text", "0 General"] and len(matrix) == len(points)
    for row, point in zip(matrix[1:], points[1:], strict=True):
        assert set(row[2:]) <= {0, 1}
        tagged = {h.split(" ")[0] for h, v in zip(matrix[0][2:], row[2:], strict=True) if v}
        assert tagged == set(filter(None, (point[8] or "").split("; ")))


def test_csv_neutralises_formulas(store, literal: int, tmp_path: Path) -> None:
    raw = export(store, literal, tmp_path, "csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # a byte-order mark, for Excel
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    texts = [row[7] for row in rows[1:]]
    assert "'=1+1" in texts and "'=1+1 what would an EHC plan cost?" in texts
    assert "'@not a marker, 'quoted' & \"double\"" in texts
    assert MARKUP in texts and len(rows) == 12
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_chart_is_a_deterministic_png_with_literal_labels() -> None:
    rows = (CountRow("1", "Costs in $ and $$ £", 3, Decimal("75.00")),
            CountRow("", "Untagged", 1, Decimal("25.00")))  # fmt: skip
    breakdown = Breakdown("Points by chapter", rows, 4)
    png = chapter_chart(breakdown)
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and png == chapter_chart(breakdown)


def test_writes_are_atomic(store, literal: int, tmp_path: Path, monkeypatch) -> None:
    import sendtui.exporters.csv_export as csv_export

    folder = tmp_path / "exports"
    folder.mkdir()
    target = folder / "out.csv"
    target.write_text("the previous export\n", encoding="utf-8")
    calls = iter(range(1000))

    def fail_midway(stored: str) -> str:
        if next(calls) == 5:
            raise RuntimeError("the disk fell off")
        return stored

    monkeypatch.setattr(csv_export, "iso_utc", fail_midway)
    with pytest.raises(RuntimeError, match="disk fell off"):
        write_file(store, literal, target, "csv")
    assert target.read_text(encoding="utf-8") == "the previous export\n"
    assert [p.name for p in folder.iterdir()] == ["out.csv"]  # and no temporary file

    import sendtui.exporters.docx as docx_export

    def broken(*args, **kwargs):
        raise RuntimeError("python-docx broke")

    monkeypatch.setattr(docx_export, "_breakdown", broken)
    with pytest.raises(RuntimeError):
        write_file(store, literal, folder / "new.docx", "docx")
    assert [p.name for p in folder.iterdir()] == ["out.csv"]


def test_cancelling_through_progress_leaves_nothing(store, demo_event: int, tmp_path: Path) -> None:
    seen: list[float] = []

    def cancel_half_way(done: float) -> None:
        seen.append(done)
        if done > 0.5:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_file(store, demo_event, tmp_path / "m.html", "html", progress=cancel_half_way)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith((".m.html", "m.html"))]
    assert seen[0] == 0.0 and seen[-1] > 0.5


@pytest.mark.parametrize("fmt", FORMATS)
def test_progress_runs_from_zero_to_one(store, demo_event: int, tmp_path: Path, fmt: str) -> None:
    seen: list[float] = []
    export(store, demo_event, tmp_path, fmt, progress=seen.append)
    assert seen[0] == 0.0 and seen[-1] == 1.0 and seen == sorted(seen)


def test_bad_requests_are_messages(store, demo_event: int, tmp_path: Path, monkeypatch) -> None:
    with pytest.raises(ExportError, match="Unknown export format “pdf”"):
        write_file(store, demo_event, tmp_path / "x.pdf", "pdf")
    with pytest.raises(ExportError, match="by group or by chapter"):
        write_file(store, demo_event, tmp_path / "x.md", "md", by="kind")
    with pytest.raises(ExportError, match="does not exist"):
        write_file(store, demo_event, tmp_path / "missing" / "x.md", "md")
    with pytest.raises(ExportError, match="is a folder"):
        write_file(store, demo_event, tmp_path, "md")

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("sendtui.exporters.files._mode_for", refuse)
    with pytest.raises(ExportError, match=r"Could not write .*x\.md: Permission denied"):
        write_file(store, demo_event, tmp_path / "x.md", "md")


def test_file_modes_and_default_names(store, demo_event: int, tmp_path: Path) -> None:
    event = EventService(store).get(demo_event)
    name = default_filename(event, "docx")
    assert name == "2013-07-08-sen-code-of-practice-nnpcf-consultation-event.docx"
    # Every export may name people (facilitators, note-takers, attendees, action owners):
    # all are 0600, the one rule for such files.
    for fmt in FORMATS:
        assert (export(store, demo_event, tmp_path, fmt).stat().st_mode & 0o777) == 0o600, fmt


def cli(tmp_path: Path, *args: str) -> list[str]:
    return ["--db", str(tmp_path / "cli.db"), *args]


@pytest.mark.parametrize("fmt", FORMATS)
def test_cli_exports_each_format(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch, fmt: str
) -> None:
    assert main(cli(tmp_path, "import", str(DEMO_NOTES))) == 0
    target = tmp_path / f"minutes.{fmt}"
    assert main(cli(tmp_path, "export", "1", "--format", fmt, "-o", str(target))) == 0
    assert f"Wrote {target}" in capsys.readouterr().err
    data = target.read_bytes()
    assert len(data) > 1000
    if fmt in ("md", "html", "csv", "json"):
        assert "Too 'education-y' title" in data.decode("utf-8").replace("&#x27;", "'")
    monkeypatch.chdir(tmp_path)
    if fmt != "json":  # without -o: the default name, in the current folder
        assert main(cli(tmp_path, "export", "NNPCF", "--format", fmt, "--by", "chapter")) == 0
        made = tmp_path / f"2013-07-08-sen-code-of-practice-nnpcf-consultation-event.{fmt}"
        assert made.exists()


def test_cli_private_points_and_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], opened, config
) -> None:
    event_id = make_literal_event(opened, config, tmp_path)
    db = ["--db", str(config.database_path)]
    opened.store.close()
    plain, private = tmp_path / "plain.md", tmp_path / "private.md"
    assert main([*db, "export", str(event_id), "--format", "md", "-o", str(plain)]) == 0
    assert main([*db, "export", str(event_id), "--format", "md", "--include-private",
                 "-o", str(private)]) == 0  # fmt: skip
    assert PRIVATE_TEXT not in plain.read_text() and PRIVATE_TEXT in private.read_text()
    assert main([*db, "export", str(event_id), "--format", "md", "-o", "/no/such/x.md"]) == 2
    assert "sendtui: The folder /no/such does not exist." in capsys.readouterr().err


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_event_with_no_points_exports(
    store, event: dict[str, int], tmp_path: Path, fmt: str
) -> None:
    written = export(store, event["event"], tmp_path, fmt)
    assert written.stat().st_size > 0
    if fmt == "md":
        text = written.read_text(encoding="utf-8")
        assert "No points were recorded." in text and "No questions were raised." in text
        assert "|  | Total | 0 | 0.00% |" in text


def test_awkward_text_survives_docx_and_xlsx(store, event: dict[str, int], tmp_path: Path) -> None:
    from docx import Document
    from openpyxl import load_workbook

    from sendtui.exporters.xlsx import CUT, MAX_CELL
    from sendtui.services.points import PointEditor
    from sendtui.services.syntax import ParsedPoint

    long_text = "bell\x07 form feed\x0c tab\there\nnew line " + "x" * 40_000
    PointEditor(store, event["event"]).add(
        ParsedPoint(long_text), group_id=event["group"], topic_id=event["topic"]
    )
    document = Document(str(export(store, event["event"], tmp_path, "docx")))
    (point,) = [p for p in document.paragraphs if p.style.name == "List Bullet"]
    assert point.text.startswith("bell\ufffd form feed\ufffd tab\there\nnew line xxx")
    book = load_workbook(export(store, event["event"], tmp_path, "xlsx"))
    cell = book["Points"]["H2"].value
    assert len(cell) == MAX_CELL and cell.endswith(CUT) and cell.startswith("bell\ufffd form")


def test_an_export_reads_one_moment(store, demo_event: int, tmp_path: Path) -> None:
    """A point captured (in another window) while the export runs is not half in it."""
    from sendtui.services.points import PointEditor
    from sendtui.services.syntax import ParsedPoint

    group = store.reader.execute("SELECT min(id) FROM discussion_group").fetchone()[0]
    editor = PointEditor(store, demo_event)

    def capture_meanwhile(done: float) -> None:
        if done == 0.0:
            editor.add(ParsedPoint("Captured during the export", chapters=("4",)),
                       group_id=group, topic_id=None)  # fmt: skip

    text = export(store, demo_event, tmp_path, "md", progress=capture_meanwhile).read_text()
    assert "Captured during the export" not in text
    assert "|  | Total | 355 | 100.00% |" in text  # the count matches the points listed
    again = export(store, demo_event, tmp_path, "md").read_text()
    assert "Captured during the export" in again and "|  | Total | 356 | 100.00% |" in again


def test_batch_escaping_copes_with_the_separator() -> None:
    from sendtui.exporters import docx, html, markdown

    assert html.escape_all(["a\x1e<b>", "<c>\nd"]) == ["a\x1e&lt;b&gt;", "&lt;c&gt;<br>d"]
    assert markdown.escape_all(["a\x1e*b*", "# c"]) == ["a\x1e\\*b\\*", "\\# c"]
    assert docx.xml_text(["a\x1e<b>", "c\td"]) == [
        "a\ufffd&lt;b&gt;", 'c</w:t><w:tab/><w:t xml:space="preserve">d',
    ]  # fmt: skip
    assert html.escape_all([]) == markdown.escape_all([]) == docx.xml_text([]) == []


def test_text_xml_cannot_hold_is_a_visible_replacement(
    store, event: dict[str, int], tmp_path: Path
) -> None:
    """Issue 8: \\x01 and \\uffff (and lone surrogates, which no store can even hold) are
    written as U+FFFD in Word and Excel files, wherever the text is: never a crash."""
    from docx import Document
    from openpyxl import load_workbook

    from sendtui.exporters.docx import xml_text
    from sendtui.services.points import PointEditor
    from sendtui.services.syntax import ParsedPoint

    EventService(store).update_event(event["event"], title="Title \x01 with \uffff odd bits")
    PointEditor(store, event["event"]).add(
        ParsedPoint("start\x01 middle\uffff end\ufffe"), group_id=event["group"], topic_id=None
    )
    document = Document(str(export(store, event["event"], tmp_path, "docx")))
    texts = [p.text for p in document.paragraphs]
    assert "start\ufffd middle\ufffd end\ufffd" in texts
    assert texts[0] == "Title \ufffd with \ufffd odd bits"
    assert (
        document.sections[0].header.paragraphs[0].text.endswith("Title \ufffd with \ufffd odd bits")
    )
    book = load_workbook(export(store, event["event"], tmp_path, "xlsx"))
    assert book["Points"]["H2"].value == "start\ufffd middle\ufffd end\ufffd"
    assert book["Points"]["B2"].value == "Title \ufffd with \ufffd odd bits"
    assert xml_text(["lone \ud800 surrogate", "fine"]) == ["lone \ufffd surrogate", "fine"]


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("  =1+1", "'  =1+1"), ("\n=HYPERLINK(1)", "'\n=HYPERLINK(1)"), (" @SUM(A1)", "' @SUM(A1)"),
        ("\t-2", "'\t-2"), ("a = b", "a = b"), ("  plain", "  plain"),
    ],
)  # fmt: skip
def test_csv_neutralises_formulas_after_spaces_and_line_breaks(
    store, event: dict[str, int], tmp_path: Path, typed: str, written: str
) -> None:
    from sendtui.services.points import PointEditor
    from sendtui.services.syntax import ParsedPoint

    PointEditor(store, event["event"]).add(
        ParsedPoint(typed), group_id=event["group"], topic_id=None
    )
    raw = export(store, event["event"], tmp_path, "csv").read_bytes().decode("utf-8-sig")
    (row,) = list(csv.reader(io.StringIO(raw)))[1:]
    assert row[7] == written


def test_report_csv_cells_follow_the_same_rule() -> None:
    from sendtui.exporters.tables import to_csv

    rows = (CountRow("1", " =cmd|' /C calc'!A0", 3, Decimal("100.00")),)
    text = to_csv(Breakdown("Points by chapter", rows, 3))
    assert "' =cmd|' /C calc'!A0" in next(csv.reader(io.StringIO(text.splitlines()[1] + "\n")))


def test_exporters_load_no_orm() -> None:
    """Issue 12: `sendtui export` as a whole process is within 1.5x of a plain floor only if
    the exporters import neither SQLModel nor SQLAlchemy nor pydantic (about a second)."""
    import subprocess
    import sys

    modules = ", ".join(
        f"sendtui.exporters.{m}"
        for m in ("csv_export", "markdown", "html", "xlsx", "docx", "minutes", "chart")
    )
    code = (
        f"import sys, {modules}\n"
        "print(sorted(m for m in ('sqlmodel', 'sqlalchemy', 'pydantic', 'textual') "
        "if m in sys.modules))"
    )
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert loaded.returncode == 0, loaded.stderr
    assert loaded.stdout.strip() == "[]"
