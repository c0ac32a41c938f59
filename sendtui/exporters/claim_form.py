"""A printable claim form for one claim, as Word (.docx) or PDF.

The form carries what a treasurer's paper form does: the claimant, date, event or meeting,
each item (with mileage from/to/miles and care hours × rate written out, and receipt yes/no),
the total, how it is to be paid, the declaration, and lines for the claimant's and the
approver's signatures. It holds personal data, so the file is written private (0600).

Columns are sized to their content (the details take what the others leave; no heading
breaks inside a word), and the declaration and signature lines are kept together, on the
first page whenever they fit there. Text XML cannot hold is written as U+FFFD (xml_safe).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sendtui.exporters.files import ExportError, atomic_write
from sendtui.models import PayTo
from sendtui.paths import pdf_font_path
from sendtui.services.allowances import format_day
from sendtui.services.claims.detail import ClaimDetail
from sendtui.services.claims.items import PricedItem
from sendtui.services.claims.payees import split
from sendtui.services.money import format_pence
from sendtui.text import xml_safe

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
    if detail.pay_to != PayTo.MEMBER.value:
        shares = split(detail.pay_to, [(i.kind, i.amount_pence) for i in detail.items])
        payment.append(("Paid", shares.describe(detail.member_name, forum)))
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

HEADINGS = ("No.", "Category", "Details", "Receipt", "Amount")


def _write_docx(content: FormContent, path: Path) -> None:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    safe = xml_safe
    doc = Document()
    doc.add_heading(safe(content.forum), level=1)
    doc.add_heading(content.title, level=2)
    _docx_pairs(doc, content.details)
    doc.add_heading("Items", level=3)
    table = doc.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    table.autofit = False
    widths = [Cm(w / 10) for w in _column_widths(content, lambda text, bold: len(text) * 1.9)]
    for cell, text in zip(table.rows[0].cells, HEADINGS, strict=True):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    for row in content.items:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = safe(text)
        cells[4].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    total = table.add_row().cells
    total[0].merge(total[3]).text = "Total"
    total[0].paragraphs[0].runs[0].bold = True
    total[4].text = content.total
    total[4].paragraphs[0].runs[0].bold = True
    total[4].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
    doc.add_heading("Payment", level=3)
    _docx_pairs(doc, content.payment)
    # The declaration and the signatures stay together (Word's "keep with next").
    heading = doc.add_heading("Declaration", level=3)
    heading.paragraph_format.keep_with_next = True
    declaration = doc.add_paragraph(DECLARATION)
    declaration.paragraph_format.keep_with_next = True
    lines = _signature_lines(content)
    for n, line in enumerate(lines):
        paragraph = doc.add_paragraph(safe(line))
        paragraph.paragraph_format.space_before = Pt(18)
        paragraph.paragraph_format.keep_with_next = n + 1 < len(lines)
    doc.save(str(path))


def _docx_pairs(doc: DocxDocument, pairs: tuple[tuple[str, str], ...]) -> None:
    table = doc.add_table(rows=0, cols=2)
    for label, value in pairs:
        cells = table.add_row().cells
        cells[0].text = label
        cells[0].paragraphs[0].runs[0].bold = True
        cells[1].text = xml_safe(value)


def _signature_lines(content: FormContent) -> list[str]:
    approver = content.approver or "_" * 28
    return [
        f"Claimant's signature {'_' * 32}   Date {'_' * 14}",
        f"Approved by {approver}   Signature {'_' * 24}   Date {'_' * 14}",
    ]


# -- PDF -----------------------------------------------------------------------------------

PAGE_WIDTH = 210 - 18 * 2  # A4 less the margins, in mm
PADDING = 2.5  # mm each cell adds to its text
MAX_CATEGORY = 46  # mm: a longer category wraps between words


def _column_widths(content: FormContent, width: object) -> list[float]:
    """Widths (mm) for No., Category, Details, Receipt, Amount: each fixed column as wide as
    its widest cell (a long category as wide as its longest word, at least), and the details
    the rest. `width(text, bold)` measures text in mm."""
    measure = width  # type: ignore[assignment]

    def widest(index: int, *, cap: float | None = None) -> float:
        texts = [row[index] for row in content.items]
        full = max([measure(HEADINGS[index], True)] + [measure(t, False) for t in texts])  # type: ignore[operator]
        if cap is None or full <= cap:
            return full + PADDING
        words = [w for t in texts for w in t.split()]
        longest = max([measure(HEADINGS[index], True)] + [measure(w, False) for w in words])  # type: ignore[operator]
        return max(cap, longest) + PADDING

    total = measure(content.total, True)  # type: ignore[operator]
    fixed = [
        widest(0),
        widest(1, cap=MAX_CATEGORY),
        widest(3),
        max(widest(4), total + PADDING),
    ]
    details = max(40.0, PAGE_WIDTH - sum(fixed))
    return [fixed[0], fixed[1], details, fixed[2], fixed[3]]


def _write_pdf(content: FormContent, path: Path) -> None:
    from fpdf import FPDF
    from fpdf.enums import Align

    pdf = FPDF(format="A4")
    pdf.set_margins(18, 16, 18)
    pdf.set_auto_page_break(True, margin=16)
    pdf.add_font("DejaVu", "", str(pdf_font_path()))
    pdf.add_font("DejaVu", "B", str(pdf_font_path(bold=True)))
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

    def measure(text: str, bold: bool) -> float:
        pdf.set_font("DejaVu", "B" if bold else "", 9)
        found = max((pdf.get_string_width(line) for line in text.split("\n")), default=0.0)
        pdf.set_font("DejaVu", "", 9)
        return found

    widths = _column_widths(content, measure)
    with pdf.table(
        col_widths=tuple(widths),
        width=sum(widths),
        align="LEFT",
        text_align=("RIGHT", "LEFT", "LEFT", "CENTER", "RIGHT"),
        line_height=5,
        padding=(0.6, PADDING / 2),
    ) as table:
        table.row(HEADINGS)
        for item in content.items:
            table.row(item)
        total = table.row()
        total.cell("Total", colspan=4, align=Align.R)
        total.cell(content.total)
    _pdf_heading(pdf, "Payment")
    _pdf_pairs(pdf, content.payment)
    # Declaration and signatures as one block: moved whole to the next page only when the
    # rest of this page cannot hold it, so they are never split or left behind.
    with pdf.unbreakable() as block:
        _pdf_heading(block, "Declaration")
        block.set_font("DejaVu", "", 10)
        block.multi_cell(0, 5, DECLARATION, new_x="LMARGIN", new_y="NEXT")
        for line in _signature_lines(content):
            block.ln(7)
            block.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
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
