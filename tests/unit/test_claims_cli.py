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
        tmp_path,
        capsys,
        "claims",
        "pay",
        "1",
        "2",
        "--method",
        "cheque",
        "--reference",
        "000101",
        "--as",
        "Tess",
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
        "member,claims,items,amount,to_members,to_forum,declined",
        "Bob New,1,1,4.20,4.20,0.00,0.00",
        "Jane Parent,1,2,27.50,27.50,0.00,0.00",
        "Total,2,3,31.70,31.70,0.00,0.00",
    ]
    code, out, _ = run(tmp_path, capsys, "claims", "report", "--by", "category")
    assert "Total" in out and "£34.70" in out
    code, out, _ = run(tmp_path, capsys, "claims", "show", "1")
    lines = out.splitlines()
    assert lines[0].startswith("Claim 1: Paid £27.50 by cheque, reference 000101")  # first
    flat = " ".join(out.split())
    assert "History Created by Tess on " in flat and " Approved by Ann Chair on " in flat
    assert "(recorded by Tess on " in flat
    code, out, _ = run(tmp_path, capsys, "members", "list")
    assert "Jane Parent" in out and "£27.50" in out


def test_reject_submit_and_errors_are_messages(tmp_path, capsys, imported) -> None:
    code, out, _ = run(
        tmp_path, capsys, "claims", "reject", "3", "--reason", "no ticket", "--as", "Tess"
    )
    assert code == 0 and "rejected" in out
    code, out, _ = run(tmp_path, capsys, "claims", "list")
    assert "Counted: draft, submitted, approved and paid claims; rejected claims not counted" in (
        " ".join(out.split())
    )
    assert "[bold]Eve[/]" not in out  # claim 3, rejected: left out unless asked
    code, out, _ = run(tmp_path, capsys, "claims", "list", "--status", "all")
    assert "[bold]Eve[/]" in out
    code, _, err = run(tmp_path, capsys, "claims", "pay", "3", "--method", "Cash", "--as", "T")
    assert code == 1 and "Claim 3: not done: Claim 3 is rejected" in err
    code, _, err = run(tmp_path, capsys, "claims", "report", "--by", "year", "--status", "payed")
    assert code == 2 and "no status" in err and "Traceback" not in err
    code, _, err = run(tmp_path, capsys, "claims", "show", "99")
    assert code == 2 and "no claim 99" in err


def test_members_add_and_forget(tmp_path, capsys, imported) -> None:
    code, out, _ = run(
        tmp_path,
        capsys,
        "members",
        "add",
        "Zoe",
        "--grade",
        "Lead",
        "--pay-to",
        "forum",
        "--as",
        "T",
    )
    assert code == 0
    code, _, err = run(
        tmp_path, capsys, "members", "add", "Yan", "--reference", "12-34-56", "--as", "T"
    )
    assert code == 2 and "bank details" in err
    code, _, err = run(tmp_path, capsys, "members", "forget", "Jane Parent", "--as", "T")
    assert code == 2 and "has claims not paid yet: 1 (submitted)" in err
    code, out, err = run(tmp_path, capsys, "members", "forget", "Zoe", "--as", "T")
    assert code == 2 and "add --yes to confirm" in err and "Kept" in out
    code, out, _ = run(tmp_path, capsys, "members", "forget", "Zoe", "--yes", "--as", "T")
    assert code == 0 and "Removed the personal details" in out
    code, out, _ = run(tmp_path, capsys, "members", "list", "--format", "csv")
    assert "Zoe" not in out and "Former member" in out


def test_batch_and_form_files_are_private(tmp_path, capsys, imported) -> None:
    run(tmp_path, capsys, "claims", "approve", "1", "--as", "Ann Chair", "--pay-forum")
    batch = tmp_path / "batch.csv"
    code, _, _ = run(tmp_path, capsys, "claims", "batch", "-o", str(batch))
    assert code == 0 and stat.S_IMODE(batch.stat().st_mode) == 0o600
    # taxi and mileage are expenses: they go to Jane whatever "pay the forum" says
    [row] = list(csv.reader(io.StringIO(batch.read_text())))[1:]
    assert row == ["Jane Parent", "member", "", "27.50", "1"]
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


def test_approve_several_tries_each_and_fails_if_any_did(tmp_path, capsys, imported) -> None:
    run(tmp_path, capsys, "claims", "reject", "2", "--reason", "duplicate", "--as", "Tess")
    code, out, err = run(tmp_path, capsys, "claims", "approve", "3", "2", "1", "--as", "Ann")
    assert code == 1
    assert "Claim 3 approved by Ann." in out and "Claim 1 approved by Ann." in out
    assert "Claim 2: not done: Claim 2 is rejected" in err
    assert "2 of 3 claims done; 1 refused." in err


def test_who_is_asked_when_not_named(tmp_path, capsys, imported) -> None:
    code, _, err = run(tmp_path, capsys, "claims", "submit", "1")
    assert code == 2 and "--as NAME" in err  # not at a terminal: never the login name


def test_terminal_escapes_in_names_are_shown_not_sent(tmp_path, capsys) -> None:
    sheet = tmp_path / "evil.csv"
    sheet.write_text(
        "member,date,category,amount,event\nEvil\x1b]0;PWNED\x07,2025-07-08,Taxi,3,B\n"
    )
    code, out, _ = run(tmp_path, capsys, "claims", "import", str(sheet), "--as", "T")
    assert code == 0
    for args in (("claims", "list"), ("claims", "show", "1"), ("members", "list")):
        code, out, _ = run(tmp_path, capsys, *args)
        assert "\x1b" not in out and "\x07" not in out and "\\x1b" in out
