"""`sendtui claims …` and `sendtui members …`: the treasurer's month from the command line,
and the printable claim form (DOCX and PDF, private files)."""

from __future__ import annotations

import csv
import io
import stat
from pathlib import Path

import pytest

from sendtui.cli import main

SHEET = (
    "member,date,category,amount,miles,passengers,hours,description,event,receipt\n"
    "Jane Parent,2025-07-08,Taxi,12.50,,,,to the station,SEND board,yes\n"
    "Jane Parent,2025-07-08,Car mileage,,30,1,,,SEND board,\n"
    "Bob New,2025-07-09,Public transport,4.20,,,,bus,Coffee morning,yes\n"
    "[bold]Eve[/],2025-07-10,Parking,3,,,,,Coffee morning,yes\n"
)


def run(tmp_path: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(tmp_path / "cli.db"), *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def imported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    sheet = tmp_path / "claims.csv"
    sheet.write_text(SHEET, encoding="utf-8")
    code, out, _ = run(tmp_path, capsys, "claims", "import", str(sheet), "--as", "Tess")
    assert code == 0 and "Imported 3 claims" in out
    return sheet


def test_a_month_from_the_command_line(tmp_path, capsys, imported) -> None:
    code, out, _ = run(tmp_path, capsys, "claims", "list")
    assert code == 0 and "£27.50" in out and "[bold]Eve[/]" in out and "Total" in out
    code, out, err = run(tmp_path, capsys, "claims", "approve", "1", "2", "--as", "Ann Chair")
    assert code == 0 and "Claim 2 approved by Ann Chair." in out
    code, out, err = run(tmp_path, capsys, "claims", "batch", "--format", "csv")
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[1:] == [
        ["Bob New", "member", "", "4.20", "2"],
        ["Jane Parent", "member", "", "27.50", "1"],
    ]
    assert "2 payees, £31.70 in 2 claims." in err
    code, out, _ = run(
        tmp_path, capsys, "claims", "pay", "1", "2", "--method", "cheque", "--reference", "000101"
    )
    assert code == 0
    code, out, _ = run(
        tmp_path,
        capsys,
        "claims",
        "report",
        "--by",
        "member",
        "--status",
        "paid",
        "--format",
        "csv",
    )
    assert out.splitlines() == [
        "member,claims,items,amount",
        "Bob New,1,1,4.20",
        "Jane Parent,1,2,27.50",
        "Total,2,3,31.70",
    ]
    code, out, _ = run(tmp_path, capsys, "claims", "report", "--by", "category")
    assert "Total" in out and "£34.70" in out
    code, out, _ = run(tmp_path, capsys, "claims", "show", "1")
    assert "pay claim" in out and "Ann Chair: approve claim" in out
    code, out, _ = run(tmp_path, capsys, "members", "list")
    assert "Jane Parent" in out and "£27.50" in out


def test_reject_submit_and_errors_are_messages(tmp_path, capsys, imported) -> None:
    code, out, _ = run(tmp_path, capsys, "claims", "reject", "3", "--reason", "no ticket")
    assert code == 0 and "rejected" in out
    code, _, err = run(tmp_path, capsys, "claims", "pay", "3", "--method", "Cash")
    assert code == 2 and err.startswith("sendtui: Claim 3 is rejected")
    code, _, err = run(tmp_path, capsys, "claims", "report", "--by", "year", "--status", "payed")
    assert code == 2 and "no status" in err and "Traceback" not in err
    code, _, err = run(tmp_path, capsys, "claims", "show", "99")
    assert code == 2 and "no claim 99" in err


def test_members_add_and_forget(tmp_path, capsys, imported) -> None:
    code, out, _ = run(
        tmp_path, capsys, "members", "add", "Zoe", "--grade", "Lead", "--pay-to", "forum"
    )
    assert code == 0
    code, _, err = run(tmp_path, capsys, "members", "add", "Yan", "--reference", "12-34-56")
    assert code == 2 and "bank details" in err
    code, _, err = run(tmp_path, capsys, "members", "forget", "Jane Parent")
    assert code == 2 and "must be kept until 31 Mar 2032" in err
    code, out, _ = run(tmp_path, capsys, "members", "forget", "Zoe")
    assert code == 0 and "Removed the personal details" in out
    code, out, _ = run(tmp_path, capsys, "members", "list", "--format", "csv")
    assert "Zoe" not in out and "Former member" in out


def test_batch_and_form_files_are_private(tmp_path, capsys, imported) -> None:
    run(tmp_path, capsys, "claims", "approve", "1", "--as", "Ann Chair", "--pay-forum")
    batch = tmp_path / "batch.csv"
    code, _, _ = run(tmp_path, capsys, "claims", "batch", "-o", str(batch))
    assert code == 0 and stat.S_IMODE(batch.stat().st_mode) == 0o600
    [forum_row] = list(csv.reader(io.StringIO(batch.read_text())))[1:]
    assert forum_row[1:] == ["forum", "", "27.50", "1"]
    for suffix in (".docx", ".pdf"):
        form = tmp_path / f"claim-1{suffix}"
        code, _, _ = run(tmp_path, capsys, "claims", "form", "1", "-o", str(form))
        assert code == 0 and stat.S_IMODE(form.stat().st_mode) == 0o600
        assert form.stat().st_size > 1000
    code, _, err = run(tmp_path, capsys, "claims", "form", "1", "-o", str(tmp_path / "x.txt"))
    assert code == 2 and ".docx or .pdf" in err


def test_claim_form_contents(tmp_path, capsys, imported) -> None:
    from docx import Document

    run(tmp_path, capsys, "claims", "approve", "3", "--as", "Ann Chair")
    form = tmp_path / "eve.docx"
    assert run(tmp_path, capsys, "claims", "form", "3", "-o", str(form))[0] == 0
    doc = Document(str(form))
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "[bold]Eve[/]" in cells and "£3.00" in cells and "Total" in cells
    assert "I declare" in text and "Claimant's signature" in text
    assert "Approved by Ann Chair" in text
