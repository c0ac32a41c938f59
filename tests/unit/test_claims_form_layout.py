"""The printed claim form: columns sized to their content, headings never broken inside a
word, declaration and signatures together (on the first page when they fit), and names
with characters XML cannot hold still written."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest

from sendtui.exporters.claim_form import write_claim_form
from sendtui.services.claims.detail import ClaimHeader
from sendtui.services.claims.items import ItemInput
from sendtui.services.claims.members import MemberInput, MemberService
from sendtui.services.claims.rules import ClaimRules
from sendtui.services.claims.workflow import ClaimService

RULES = ClaimRules()
needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler")


def claim(store, name: str, items: list[ItemInput]) -> int:  # type: ignore[no-untyped-def]
    member = MemberService(store, RULES, who="T").add(MemberInput(name)).id
    assert member is not None
    service = ClaimService(store, RULES, who="T")
    return service.create(ClaimHeader(member, dt.date(2025, 7, 8), meeting="Board"), items)


def pages(path: Path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    found = text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")
    return [" ".join(page.split()) for page in found]  # -layout spaces words apart


@needs_pdftotext
def test_headings_whole_and_signatures_on_the_first_page(tmp_path, store) -> None:
    items = [
        ItemInput("Taxi", amount="12.50", receipt=True),
        ItemInput("Car mileage", miles="37.3", passengers="1", from_place="A", to_place="B"),
    ]
    claim_id = claim(store, "Jane Parent", items)
    path = write_claim_form(
        ClaimService(store, RULES, who="T").get(claim_id), tmp_path / "f.pdf", forum="PCF"
    )
    [first] = pages(path)
    assert "Receipt" in first and "Amount" in first
    assert "Claimant's signature" in first and "Approved by" in first


@needs_pdftotext
def test_a_long_claim_keeps_the_declaration_and_signatures_together(tmp_path, store) -> None:
    items = [ItemInput("Taxi", amount=f"{n}.00", description=f"trip {n}") for n in range(1, 38)]
    claim_id = claim(store, "Bob", items)
    path = write_claim_form(
        ClaimService(store, RULES, who="T").get(claim_id), tmp_path / "f.pdf", forum="PCF"
    )
    found = pages(path)
    assert len(found) >= 2
    [page] = [p for p in found if "I declare" in p]
    assert "Claimant's signature" in page and "Approved by" in page


def test_text_xml_cannot_hold_is_written_visibly(tmp_path, store) -> None:
    from docx import Document

    claim_id = claim(
        store, "Ann\x01 \uffffSmith", [ItemInput("Taxi", amount="3", description="\x0b")]
    )
    detail = ClaimService(store, RULES, who="T").get(claim_id)
    for suffix in (".docx", ".pdf"):
        path = write_claim_form(detail, tmp_path / f"f{suffix}", forum="PCF\x02")
        assert path.stat().st_size > 1000
    cells = [
        c.text for t in Document(str(tmp_path / "f.docx")).tables for r in t.rows for c in r.cells
    ]
    assert "Ann\ufffd \ufffdSmith" in cells
