"""The Word document the minutes are written into, and its page furniture.

Without a template: python-docx's built-in styles on A4. With a forum's template (config.toml
`[minutes] template`, a .docx or .dotx): its styles, fonts, page size, margins, header and
logo, with its body dropped; any style the minutes need that the template lacks (Word keeps
"List Bullet 2" and friends only as latent styles until used) is copied in from python-docx's
own template, numbering and all, so bullets are still bullets.

Where the document has no header or footer of its own, the header names the forum and the
event and the footer numbers the pages ("Page 3 of 12", as Word fields, so they stay right
whatever Word or LibreOffice repaginates).
"""

from __future__ import annotations

import copy
import io
import zipfile
from pathlib import Path
from typing import Any

from sendtui.exporters.files import ExportError
from sendtui.text import xml_safe

A4_CM = (21.0, 29.7)  # python-docx's template is US Letter; forums in England print on A4
NEEDED_STYLES = (
    "Title", "Heading 1", "Heading 2", "Heading 3", "Heading 4", "List Bullet",
    "List Bullet 2", "List Bullet 3", "Table Grid",
)  # fmt: skip
_TEMPLATE_TYPE = b"application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
_DOCUMENT_TYPE = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_MAX_TEMPLATE_BYTES = 50_000_000  # a letterhead with a logo is far smaller


def new_document(template: Path | None) -> Any:
    """A python-docx Document ready for the minutes' body."""
    from docx import Document
    from docx.shared import Cm

    if template is None:
        document = Document()
        section = document.sections[0]
        section.page_width, section.page_height = Cm(A4_CM[0]), Cm(A4_CM[1])
        return document
    document = _open_template(Path(template).expanduser())
    body = document.element.body
    final = body.sectPr
    for child in list(body):
        if child is not final:
            body.remove(child)
    default = Document()
    for name in NEEDED_STYLES:
        _ensure_style(document, default, name)
    return document


def _open_template(path: Path) -> Any:
    from docx import Document

    where = f"The minutes template {path} (config.toml [minutes] template)"
    if not path.is_file():
        raise ExportError(
            f"{where} is not a file. Fix the path, or remove it to use the built-in styles."
        )
    try:
        if path.stat().st_size > _MAX_TEMPLATE_BYTES:
            raise ExportError(f"{where} is larger than 50 MB: is it the right file?")
        data = path.read_bytes()
    except OSError as exc:
        raise ExportError(f"{where} could not be read: {exc.strerror or exc}") from None
    try:
        data = _as_document(data)
        return Document(io.BytesIO(data))
    except Exception:  # python-docx and zipfile raise many kinds for a file that is not Word's
        raise ExportError(
            f"{where} is not a Word document (.docx or .dotx). Save it from Word as a .docx."
        ) from None


def _as_document(data: bytes) -> bytes:
    """A .dotx template's bytes relabelled as a document, which python-docx opens (the two
    differ only in the main part's content type)."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        types = source.read("[Content_Types].xml")
        if _TEMPLATE_TYPE not in types:
            return data
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for item in source.infolist():
                content = source.read(item.filename)
                if item.filename == "[Content_Types].xml":
                    content = types.replace(_TEMPLATE_TYPE, _DOCUMENT_TYPE)
                target.writestr(item, content)
    return out.getvalue()


def _ensure_style(document: Any, default: Any, name: str) -> None:
    """Copy style `name` (and the styles it is based on, and its numbering) from `default`
    into `document` if the document does not define it."""
    try:
        document.styles[name]
        return
    except KeyError:
        pass
    source = default.styles[name].element
    styles = document.styles.element
    based = source.basedOn_val
    if based and styles.get_by_id(based) is None:
        base = default.styles.element.get_by_id(based)
        if base is not None:
            _ensure_style(document, default, base.name_val)
    element = copy.deepcopy(source)
    if styles.get_by_id(element.styleId) is not None:  # the id is taken by another name
        element.styleId = f"{element.styleId}Sendtui"
    num = element.find(_w("pPr/w:numPr/w:numId"))
    if num is not None:
        num.set(
            _w_attr("val"), str(_copy_numbering(document, default, int(num.get(_w_attr("val")))))
        )
    styles.append(element)


def _copy_numbering(document: Any, default: Any, num_id: int) -> int:
    """Copy numbering definition `num_id` (and its abstract definition) from `default`
    into `document`; returns its id there."""
    source = default.part.numbering_part.element
    num = next(n for n in source.findall(_w("num")) if int(n.get(_w_attr("numId"))) == num_id)
    abstract_id = num.find(_w("abstractNumId")).get(_w_attr("val"))
    abstract = next(
        a
        for a in source.findall(_w("abstractNum"))
        if a.get(_w_attr("abstractNumId")) == abstract_id
    )
    target = _numbering(document)
    new_abstract = (
        max(
            (int(a.get(_w_attr("abstractNumId"))) for a in target.findall(_w("abstractNum"))),
            default=-1,
        )
        + 1
    )
    new_num = max((int(n.get(_w_attr("numId"))) for n in target.findall(_w("num"))), default=0) + 1
    abstract = copy.deepcopy(abstract)
    abstract.set(_w_attr("abstractNumId"), str(new_abstract))
    for nsid in abstract.findall(_w("nsid")):  # Word would join lists sharing an nsid
        abstract.remove(nsid)
    nums = target.findall(_w("num"))
    if nums:
        nums[0].addprevious(abstract)  # the schema wants every abstractNum before any num
    else:
        target.append(abstract)
    from docx.oxml.parser import parse_xml

    target.append(parse_xml(
        f'<w:num {_NSDECL} w:numId="{new_num}"><w:abstractNumId w:val="{new_abstract}"/></w:num>'
    ))  # fmt: skip
    return new_num


def _numbering(document: Any) -> Any:
    """The document's numbering part's root, made (empty) if it has none."""
    from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
    from docx.opc.packuri import PackURI
    from docx.oxml.parser import parse_xml
    from docx.parts.numbering import NumberingPart

    part = document.part
    try:
        return part.part_related_by(RELATIONSHIP_TYPE.NUMBERING).element
    except KeyError:
        element = parse_xml(f"<w:numbering {_NSDECL}/>")
        numbering = NumberingPart(
            PackURI("/word/numbering.xml"), CONTENT_TYPE.WML_NUMBERING, element, part.package
        )
        part.relate_to(numbering, RELATIONSHIP_TYPE.NUMBERING)
        return element


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NSDECL = f'xmlns:w="{_W}"'


def _w(path: str) -> str:
    return "/".join(f"{{{_W}}}{part.removeprefix('w:')}" for part in path.split("/"))


def _w_attr(name: str) -> str:
    return f"{{{_W}}}{name}"


# -- header and footer ------------------------------------------------------------------------


def add_page_furniture(document: Any, forum: str, event: str) -> None:
    """The forum and the event in the header, "Page N of M" in the footer, each only where
    the document (a template) has none of its own."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    section = document.sections[0]
    if section.header.is_linked_to_previous:
        words = " · ".join(part for part in (forum.strip(), event.strip()) if part)
        paragraph = section.header.paragraphs[0]
        paragraph.text = xml_safe(words)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if section.footer.is_linked_to_previous:
        from docx.oxml.parser import parse_xml

        paragraph = section.footer.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run("Page ")
        paragraph._p.append(parse_xml(_field("PAGE", "1")))
        paragraph.add_run(" of ")
        paragraph._p.append(parse_xml(_field("NUMPAGES", "1")))


def _field(code: str, shown: str) -> str:
    """A simple Word field (PAGE, NUMPAGES): Word and LibreOffice fill in the number."""
    return f'<w:fldSimple {_NSDECL} w:instr=" {code} "><w:r><w:t>{shown}</w:t></w:r></w:fldSimple>'


def keep_rows_whole(table: Any) -> None:
    """Every row of `table` stays on one page (w:cantSplit); the first row repeats at the top
    of each page the table runs onto (w:tblHeader)."""
    from docx.oxml import OxmlElement

    for i, row in enumerate(table.rows):
        props = row._tr.get_or_add_trPr()
        props.append(OxmlElement("w:cantSplit"))
        if i == 0:
            props.append(OxmlElement("w:tblHeader"))
