"""A printable claim form for one claim, as Word (.docx) or PDF.

The form carries what a treasurer's paper form does: the claimant, date, event or meeting,
each item (with mileage from/to/miles and care hours × rate written out, and receipt yes/no),
the total, how it is to be paid, the declaration, and lines for the claimant's and the
approver's signatures. It holds personal data, so the file is written private (0600).
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sendtui.exporters.files import ExportError, atomic_write
from sendtui.models import PayTo
from sendtui.services.allowances import format_day
from sendtui.services.claims.detail import ClaimDetail
from sendtui.services.claims.items import PricedItem
from sendtui.services.money import format_pence

if TYPE_CHECKING:  # imported when a form is written, not when the module loads
    from docx.document import Document as DocxDocument
    from fpdf import FPDF

DECLARATION = (
    "I declare that the expenses claimed were incurred by me on the forum's business, that I "
    "have not claimed them from anyone else, and that the receipts marked “yes” are attached. "
    "I understand that remuneration (payment for my time, beyond my out-of-pocket costs) is "
    "income, and that I can ask for it to be paid to the forum instead."
)
FORMATS = (".docx", ".pdf")


@dataclass(frozen=True)
class FormContent:
    """The form's words, laid out the same way in both formats."""

    forum: str
    title: str
    details: tuple[tuple[str, str], ...]
    items: tuple[tuple[str, str, str, str, str], ...]  # number, category, details, receipt, £
    total: str
    payment: tuple[tuple[str, str], ...]
    approver: str


def _item_details(item: PricedItem) -> str:
    parts = [item.description] if item.description else []
    if item.working:
        parts.append(item.working)
    return "\n".join(parts)


def _receipt(item: PricedItem) -> str:
    if item.kind in ("amount", "care"):
        return "Yes" if item.receipt else "No"
    return "—"


def form_content(detail: ClaimDetail, forum: str) -> FormContent:
    details = [
        ("Claim number", str(detail.id)),
        ("Claimant", detail.member_name),
        ("Date", format_day(detail.claim_date)),
        ("Event or meeting", detail.where),
        ("Status", detail.status.capitalize()),
    ]
    if detail.corrects_id is not None:
        details.append(("Corrects claim", str(detail.corrects_id)))
    items = tuple(
        (
            str(n),
            item.category,
            _item_details(item),
            _receipt(item),
            format_pence(item.amount_pence),
        )
        for n, item in enumerate(detail.items, start=1)
    )
    payment = [("Pay to", PayTo(detail.pay_to).label)]
    if detail.pay_to == PayTo.FORUM.value:
        payment.append(("Payee", forum))
    elif detail.member_reference:
        payment.append(("Payee reference", detail.member_reference))
    if detail.approved_by:
        when = format_day(detail.approved_at.date()) if detail.approved_at else ""
        payment.append(("Approved", f"{detail.approved_by}, {when}".rstrip(", ")))
    if detail.rejected_by:
        payment.append(("Rejected", f"{detail.rejected_by}: {detail.rejected_reason}"))
    if detail.paid_on:
        paid = f"{format_day(detail.paid_on)}, {detail.payment_method}"
        if detail.payment_reference:
            paid += f", reference {detail.payment_reference}"
        payment.append(("Paid", paid))
    return FormContent(
        forum=forum,
        title="Expenses and remuneration claim",
        details=tuple(details),
        items=items,
        total=format_pence(detail.total_pence),
        payment=tuple(payment),
        approver=detail.approved_by,
    )


def write_claim_form(detail: ClaimDetail, path: Path, *, forum: str) -> Path:
    """Write the form as .docx or .pdf (by the file's suffix), private, atomically."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise ExportError(f"A claim form is written as .docx or .pdf, not “{path.suffix}”.")
    content = form_content(detail, forum)
    writer = _write_docx if suffix == ".docx" else _write_pdf
    return atomic_write(path, lambda temp: writer(content, temp), private=True)


# -- Word ----------------------------------------------------------------------------------


def _write_docx(content: FormContent, path: Path) -> None:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    doc = Document()
    doc.add_heading(content.forum, level=1)
    doc.add_heading(content.title, level=2)
    _docx_pairs(doc, content.details)
    doc.add_heading("Items", level=3)
    table = doc.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell, text in zip(
        table.rows[0].cells, ("No.", "Category", "Details", "Receipt", "Amount"), strict=True
    ):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    for row in content.items:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text
        cells[4].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    total = table.add_row().cells
    total[0].merge(total[3]).text = "Total"
    total[0].paragraphs[0].runs[0].bold = True
    total[4].text = content.total
    total[4].paragraphs[0].runs[0].bold = True
    total[4].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_heading("Payment", level=3)
    _docx_pairs(doc, content.payment)
    doc.add_heading("Declaration", level=3)
    doc.add_paragraph(DECLARATION)
    for line in _signature_lines(content):
        paragraph = doc.add_paragraph(line)
        paragraph.paragraph_format.space_before = Pt(18)
    doc.save(str(path))


def _docx_pairs(doc: DocxDocument, pairs: tuple[tuple[str, str], ...]) -> None:
    table = doc.add_table(rows=0, cols=2)
    for label, value in pairs:
        cells = table.add_row().cells
        cells[0].text = label
        cells[0].paragraphs[0].runs[0].bold = True
        cells[1].text = value


def _signature_lines(content: FormContent) -> list[str]:
    approver = content.approver or "_" * 28
    return [
        f"Claimant's signature {'_' * 32}   Date {'_' * 14}",
        f"Approved by {approver}   Signature {'_' * 24}   Date {'_' * 14}",
    ]


# -- PDF -----------------------------------------------------------------------------------


def _font_dir() -> Path:
    """DejaVu Sans ships with matplotlib (a dependency): a Unicode font for any name."""
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise ExportError("PDF claim forms need matplotlib's fonts; write a .docx instead.")
    return Path(next(iter(spec.submodule_search_locations))) / "mpl-data" / "fonts" / "ttf"


def _write_pdf(content: FormContent, path: Path) -> None:
    from fpdf import FPDF
    from fpdf.enums import Align

    fonts = _font_dir()
    pdf = FPDF(format="A4")
    pdf.set_margins(18, 16, 18)
    pdf.add_font("DejaVu", "", str(fonts / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(fonts / "DejaVuSans-Bold.ttf"))
    pdf.set_title(content.title)
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 15)
    pdf.multi_cell(0, 8, content.forum, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "B", 13)
    pdf.multi_cell(0, 8, content.title, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    _pdf_pairs(pdf, content.details)
    _pdf_heading(pdf, "Items")
    pdf.set_font("DejaVu", "", 9)
    with pdf.table(
        col_widths=(8, 30, 88, 14, 22),
        text_align=("RIGHT", "LEFT", "LEFT", "CENTER", "RIGHT"),
        line_height=5,
    ) as table:
        table.row(("No.", "Category", "Details", "Receipt", "Amount"))
        for item in content.items:
            table.row(item)
        total = table.row()
        total.cell("Total", colspan=4, align=Align.R)
        total.cell(content.total)
    _pdf_heading(pdf, "Payment")
    _pdf_pairs(pdf, content.payment)
    _pdf_heading(pdf, "Declaration")
    pdf.set_font("DejaVu", "", 10)
    pdf.multi_cell(0, 5, DECLARATION, new_x="LMARGIN", new_y="NEXT")
    for line in _signature_lines(content):
        pdf.ln(8)
        pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))


def _pdf_heading(pdf: FPDF, text: str) -> None:
    pdf.ln(3)
    pdf.set_font("DejaVu", "B", 11)
    pdf.cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")


def _pdf_pairs(pdf: FPDF, pairs: tuple[tuple[str, str], ...]) -> None:
    for label, value in pairs:
        pdf.set_font("DejaVu", "B", 10)
        pdf.cell(42, 6, label)
        pdf.set_font("DejaVu", "", 10)
        pdf.multi_cell(0, 6, value, new_x="LMARGIN", new_y="NEXT")
