"""Importing claims from a spreadsheet: errors name the line, any error imports nothing."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from sendtui.services.claims.csv_import import ClaimsImportError, import_claims_csv
from sendtui.services.claims.members import MemberInput, MemberService
from sendtui.services.claims.queries import claim_rows, member_rows
from sendtui.services.claims.rules import ClaimRules

RULES = ClaimRules()
HEADER = "member,date,category,amount,miles,passengers,hours,description,event,receipt"


def write(tmp_path: Path, *lines: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / "claims.csv"
    path.write_text("\n".join(lines) + "\n", encoding=encoding)
    return path


def counts(store) -> tuple[int, int, int, int]:
    conn: sqlite3.Connection = store.reader
    return tuple(  # type: ignore[return-value]
        conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        for t in ("member", "claim", "claim_item", "audit_entry")
    )


def test_import_groups_rows_into_claims_and_creates_members(tmp_path, store, event) -> None:
    path = write(
        tmp_path,
        HEADER,
        "Jane Parent,08/07/2025,Taxi,£12.50,,,,to the station,Board meeting,yes",
        "Jane Parent,2025-07-08,Car mileage,,30,1,,,Board meeting,",
        f"Bob New,2025-07-09,Public transport,4,,,,bus,{event['event']},no",
        "jane parent,2025-07-09,Parking,3.00,,,,,Test consultation,",
    )
    result = import_claims_csv(store, RULES, path, who="Tess")
    assert (result.claims, result.items, result.members_created) == (3, 4, 2)
    assert result.total_pence == 1250 + 1500 + 400 + 300
    rows = sorted(claim_rows(store.reader), key=lambda r: r.id)
    assert [(r.member, r.where, r.status, r.total_pence) for r in rows] == [
        ("Jane Parent", "Board meeting", "submitted", 2750),
        ("Bob New", "Test consultation", "submitted", 400),
        ("Jane Parent", "Test consultation", "submitted", 300),
    ]
    assert rows[1].event_id == event["event"] and rows[0].event_id is None
    assert [m.name for m in member_rows(store.reader)] == ["Bob New", "Jane Parent"]
    assert "Imported 3 claims (4 items, £34.50)" in result.summary()


def test_mileage_is_worked_out_across_the_10000_mile_line(tmp_path, store) -> None:
    rows = [f"Jane,2025-05-{d:02d},Car mileage,,2000,,,,Trip {d}," for d in range(1, 6)]
    path = write(tmp_path, HEADER, *rows, "Jane,2025-06-01,Car mileage,,10,,,,Trip,")
    result = import_claims_csv(store, RULES, path, who="Tess")
    assert result.total_pence == 10_000 * 45 + 10 * 25


def test_errors_name_the_line_and_nothing_is_imported(tmp_path, store) -> None:
    MemberService(store, RULES, who="T").add(MemberInput("Jane"))
    before = counts(store)
    path = write(
        tmp_path,
        HEADER,
        "Jane,2025-07-08,Taxi,12.50,,,,,Board,",  # line 2: fine
        "Jane,2025-13-01,Taxi,3,,,,,Board,",  # line 3: no such date
        "Jane,2025-07-08,Taxi,12,50,,,,,Board",  # line 4: a decimal comma spills a cell
        "Jane,2025-07-08,Bux,3,,,,,Board,",  # line 5: no such category
        "Jane,2025-07-08,Taxi,-3,,,,,Board,",  # line 6
        "Jane,2025-07-08,Taxi,1e9,,,,,Board,",  # line 7
        ",2025-07-08,Taxi,3,,,,,Board,",  # line 8
        "New person,2025-07-08,Car mileage,5.00,10,,,,Board,",  # line 9: £4.50 worked out
        "Jane,2025-07-08,Taxi,3,,,,,,",  # line 10: no event or meeting: fine, by date
        "Jane,2025-07-08,Taxi,3,,,,,Board,maybe",  # line 11
        "Jane,2025-07-08,Taxi,abc,,,,,Board,",  # line 12
        "Jane,2025-13-01,Bux,abc,,,,,Board,maybe",  # line 13: four problems, all reported
    )
    with pytest.raises(ClaimsImportError) as caught:
        import_claims_csv(store, RULES, path, who="Tess")
    lines = [line for line, _ in caught.value.problems]
    assert lines == [3, 4, 5, 6, 7, 8, 11, 12, 13, 13, 13, 13]
    message = caught.value.message
    assert "line 5: there is no category “Bux”; did you mean Public transport?" in message
    assert message.count("Categories (config.toml") == 1  # listed once, at the end
    assert "nothing was imported" in message
    assert "line 3: “2025-13-01” is not a date" in message
    assert "line 6: An amount cannot be negative" in message
    assert "line 7: Write the amount out in full" in message
    assert "line 12: That is not an amount" in message
    assert counts(store) == before
    # With the parsing errors fixed, the worked-out mileage is checked: still nothing saved.
    path = write(
        tmp_path,
        HEADER,
        "Jane,2025-07-08,Taxi,12.50,,,,,Board,",
        "New person,2025-07-08,Car mileage,5.00,10,,,,Board,",
    )
    with pytest.raises(
        ClaimsImportError, match=r"line 3: the amount 5\.00 does not match the £4\.50"
    ):
        import_claims_csv(store, RULES, path, who="Tess")
    assert counts(store) == before


@pytest.mark.parametrize(
    ("first_line", "expected"),
    [
        ("member,date,category,amount,colour", "line 1: unknown column “colour”"),
        ("member,category,amount", "line 1: the column “date” is missing"),
        ("member,date,category,amount,amount", "line 1: the column “amount” appears twice"),
    ],
)
def test_header_problems_are_line_1(tmp_path, store, first_line: str, expected: str) -> None:
    path = write(tmp_path, first_line, "Jane,2025-07-08,Taxi,3")
    with pytest.raises(ClaimsImportError, match=expected):
        import_claims_csv(store, RULES, path, who="Tess")


def test_empty_missing_and_non_utf8_files(tmp_path, store) -> None:
    from sendtui.errors import InputError

    with pytest.raises(ClaimsImportError, match="empty"):
        import_claims_csv(store, RULES, write(tmp_path, ""), who="T")
    with pytest.raises(ClaimsImportError, match="no rows"):
        import_claims_csv(store, RULES, write(tmp_path, HEADER), who="T")
    with pytest.raises(InputError, match="no such file"):
        import_claims_csv(store, RULES, tmp_path / "absent.csv", who="T")
    # Excel on Windows saves "CSV (Comma delimited)" as Windows-1252: £ is the byte 0xA3
    latin = write(tmp_path, HEADER, "Zoë,2025-07-08,Taxi,£3,,,,,Board,", encoding="cp1252")
    assert b"\xa3" in latin.read_bytes()
    assert import_claims_csv(store, RULES, latin, who="T").total_pence == 300
    assert [m.name for m in member_rows(store.reader)] == ["Zoë"]


def test_excel_bom_care_remuneration_and_grades(tmp_path, store) -> None:
    path = tmp_path / "excel.csv"
    path.write_text(
        "Member,Date,Category,Hours,Rate,Sessions,Grade,Event,Receipt\r\n"
        "Ann,2025-07-08,Childcare or replacement care,2:30,12,,,Board,y\r\n"
        "Ann,2025-07-08,Remuneration,,,2,Representative,Board,\r\n",
        encoding="utf-8-sig",
    )
    result = import_claims_csv(store, RULES, path, who="T")
    assert result.total_pence == 3000 + 8000
    [member] = member_rows(store.reader)
    assert member.grade == "Representative"
    bad = tmp_path / "bad.csv"
    bad.write_text("member,date,category,hours,event\nBo,2025-07-08,Remuneration,2,Board\n")
    with pytest.raises(ClaimsImportError, match="line 2: This member has no grade"):
        import_claims_csv(store, RULES, bad, who="T")
