"""Word minutes a coordinator sends as they are (issue 10): page numbers, the forum and event
in the header, table rows kept whole, the chart with its heading, a forum's own template,
private points labelled; and the Excel print setup."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import pytest

from sendtui.exporters import write_file
from sendtui.exporters.docx import PICTURE_HEIGHT_CM, PICTURE_WIDTH_CM, picture_size
from sendtui.exporters.files import ExportError
from tests.unit.test_export_minutes import PRIVATE_TEXT, make_literal_event

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture
def literal(opened, config, tmp_path: Path) -> int:
    return make_literal_event(opened, config, tmp_path)


def export(store, event_id: int, path: Path, fmt: str = "docx", **options) -> Path:
    return write_file(store, event_id, path, fmt, forum_name="Anytown PCF", **options)


def test_header_names_forum_and_event_and_footer_numbers_pages(
    store, literal: int, tmp_path: Path
) -> None:
    from docx import Document

    document = Document(str(export(store, literal, tmp_path / "m.docx")))
    section = document.sections[0]
    assert section.header.paragraphs[0].text == "Anytown PCF · Literal text consultation"
    footer = section.footer.paragraphs[0]._p
    fields = [f.get(f"{W}instr").strip() for f in footer.iter(f"{W}fldSimple")]
    assert fields == ["PAGE", "NUMPAGES"]
    assert "".join(t.text for t in footer.iter(f"{W}t")) == "Page 1 of 1"


def test_table_rows_never_split_and_the_header_row_repeats(
    store, literal: int, tmp_path: Path
) -> None:
    from docx import Document

    (table,) = Document(str(export(store, literal, tmp_path / "m.docx"))).tables
    for i, row in enumerate(table.rows):
        props = row._tr.trPr
        assert props is not None and props.find(f"{W}cantSplit") is not None
        assert (props.find(f"{W}tblHeader") is not None) == (i == 0)


def test_chart_has_a_heading_that_keeps_with_it(store, literal: int, tmp_path: Path) -> None:
    from docx import Document

    document = Document(str(export(store, literal, tmp_path / "m.docx")))
    paragraphs = document.paragraphs
    (at,) = [i for i, p in enumerate(paragraphs) if p.text == "Chart: points per chapter"]
    heading, picture = paragraphs[at], paragraphs[at + 1]
    assert heading.style.name == "Heading 2"
    assert heading.paragraph_format.keep_with_next
    assert picture._p.xpath(".//pic:pic")  # the chart is the very next paragraph
    (shape,) = document.inline_shapes
    assert shape.height.cm <= PICTURE_HEIGHT_CM + 0.01


def png_header(width: int, height: int) -> bytes:
    return b"\x89PNG\r\n\x1a\n" + struct.pack(">I4sII", 13, b"IHDR", width, height)


def test_a_tall_chart_is_drawn_narrower_so_it_never_fills_the_page() -> None:
    assert picture_size(png_header(800, 400)) == (PICTURE_WIDTH_CM, PICTURE_WIDTH_CM / 2)
    width, height = picture_size(png_header(800, 1600))
    assert height == PICTURE_HEIGHT_CM and width == pytest.approx(PICTURE_HEIGHT_CM / 2)


def test_private_points_are_labelled_in_minutes_that_include_them(
    store, literal: int, tmp_path: Path
) -> None:
    from docx import Document

    document = Document(str(export(store, literal, tmp_path / "m.docx", include_private=True)))
    texts = [p.text for p in document.paragraphs]
    assert "Solution: Named child at Oak School (private)" in texts
    assert "Solution: A sub-point of the private point" in texts  # not private: no label
    markdown = export(store, literal, tmp_path / "m.md", "md", include_private=True).read_text()
    assert f"- **Solution:** {PRIVATE_TEXT} *(private)*\n" in markdown
    page = export(store, literal, tmp_path / "m.html", "html", include_private=True).read_text()
    assert f'{PRIVATE_TEXT} <span class="private">(private)</span>' in page
    for fmt in ("md", "html"):  # left out by default, so nothing to label
        assert "(private)" not in export(store, literal, tmp_path / f"n.{fmt}", fmt).read_text()


def make_template(path: Path, *, dotx: bool = False, drop: tuple[str, ...] = ()) -> Path:
    """A forum's letterhead: Arial 12, a header with a logo and its own words, some body
    text that the minutes must not keep, and without the styles named in `drop`."""
    from docx import Document
    from docx.shared import Pt
    from PIL import Image

    document = Document()
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = "Arial", Pt(12)
    header = document.sections[0].header
    header.paragraphs[0].text = "Anytown Parent Carer Forum letterhead"
    logo = io.BytesIO()
    Image.new("RGB", (40, 20), "navy").save(logo, format="PNG")
    header.add_paragraph().add_run().add_picture(logo)
    document.add_paragraph("DELETE THIS: the template's own body text")
    document.add_table(rows=1, cols=1).cell(0, 0).text = "DELETE THIS TABLE"
    for name in drop:
        element = document.styles[name].element
        element.getparent().remove(element)
    document.save(str(path))
    if dotx:
        data = path.read_bytes()
        out = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
            for item in source.infolist():
                content = source.read(item.filename)
                if item.filename == "[Content_Types].xml":
                    content = content.replace(b"document.main+xml", b"template.main+xml")
                target.writestr(item, content)
        path.write_bytes(out.getvalue())
    return path


@pytest.mark.parametrize("dotx", [False, True])
def test_minutes_start_from_the_forums_template(
    store, literal: int, tmp_path: Path, dotx: bool
) -> None:
    from docx import Document

    template = make_template(tmp_path / ("t.dotx" if dotx else "t.docx"), dotx=dotx)
    document = Document(str(export(store, literal, tmp_path / "m.docx", template=template)))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "Literal text consultation"  # the template's body is gone
    assert not any("DELETE THIS" in t for t in texts)
    assert len(document.tables) == 1  # only the breakdown
    header = document.sections[0].header  # the template's own, logo and all
    assert header.paragraphs[0].text == "Anytown Parent Carer Forum letterhead"
    assert header._element.xpath(".//pic:pic")
    assert document.styles["Normal"].font.name == "Arial"
    section = document.sections[0]  # the template's page (US Letter here), not forced to A4
    assert round(section.page_width.cm, 1) == 21.6


def test_styles_a_template_lacks_are_added_with_their_bullets(
    store, literal: int, tmp_path: Path
) -> None:
    from docx import Document

    dropped = ("List Bullet 2", "List Bullet 3", "Heading 4")
    template = make_template(tmp_path / "t.docx", drop=dropped)
    document = Document(str(export(store, literal, tmp_path / "m.docx", template=template)))
    used = {p.style.name for p in document.paragraphs}
    assert set(dropped) <= used
    bullet = document.styles["List Bullet 2"].element
    (num_id,) = bullet.xpath("./w:pPr/w:numPr/w:numId/@w:val")
    numbering = document.part.numbering_part.element
    assert numbering.xpath(f"./w:num[@w:numId='{num_id}']")  # its bullets are defined


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("missing.docx", None, "is not a file"),
        ("notes.txt", b"just text", "is not a Word document"),
        ("broken.docx", b"PK\x03\x04 not really a zip", "is not a Word document"),
    ],
)
def test_a_template_that_cannot_be_used_is_one_message(
    store, literal: int, tmp_path: Path, name: str, content: bytes | None, words: str
) -> None:
    template = tmp_path / name
    if content is not None:
        template.write_bytes(content)
    target = tmp_path / "m.docx"
    with pytest.raises(ExportError, match=words) as caught:
        export(store, literal, target, template=template)
    assert str(template) in caught.value.message and "[minutes] template" in caught.value.message
    assert not target.exists() and not list(tmp_path.glob("*.part"))


def test_points_sheet_prints_landscape_fit_to_width_with_header_row(
    store, literal: int, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    book = load_workbook(export(store, literal, tmp_path / "d.xlsx", "xlsx"))
    for name in ("Points", "Chapters", "Matrix"):
        sheet = book[name]
        assert sheet.page_setup.orientation == "landscape", name
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, name
        assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0), name
        assert sheet.print_title_rows == "$1:$1", name
        assert sheet.page_setup.paperSize == 9, name  # A4
