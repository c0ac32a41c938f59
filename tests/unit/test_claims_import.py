"""The spreadsheet as treasurers keep it: their words for categories, no event column, care
as hours and amount, .xlsx, Windows and UTF-8 CSV, every problem at once, duplicates,
drafts, and the same per-claim amounts whatever order the rows are in."""

from __future__ import annotations

import datetime as dt
import itertools
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sendtui.errors import InputError
from sendtui.services.claims.csv_import import ClaimsImportError, import_claims
from sendtui.services.claims.queries import claim_rows
from sendtui.services.claims.rules import ClaimRules

RULES = ClaimRules()
_members = itertools.count(1)


def write(tmp_path: Path, text: str, name: str = "claims.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def test_category_words_no_event_column_and_care_without_a_rate(tmp_path, store) -> None:
    path = write(
        tmp_path,
        "Name,Date,Type,Cost,Hours,Miles,Details\n"
        "Jane Parent,08/07/2025,train,12.40,,,Train to County Hall\n"
        "Jane Parent,08/07/2025,lunch,6.50,,,\n"
        "Jane Parent,08/07/2025,childcare,30.00,2:30,,\n"  # £12.00 an hour, under the cap
        "Jane Parent,09/07/2025,mileage,,,24,Drive to the school\n"
        "Jane Parent,09/07/2025,parking,3,,,\n",
    )
    result = import_claims(store, RULES, path, who="Tess")
    assert (result.claims, result.items) == (2, 5)
    rows = sorted(claim_rows(store.reader), key=lambda r: r.claim_date)
    # one claim per member and date, described by its first description
    assert [(r.where, r.total_pence) for r in rows] == [
        ("Train to County Hall", 1240 + 650 + 3000),
        ("Drive to the school", 24 * 45 + 300),
    ]
    categories = [r[0] for r in store.reader.execute("SELECT category FROM claim_item ORDER BY id")]
    assert categories == [
        "Public transport",
        "Subsistence",
        "Childcare or replacement care",
        "Car mileage",
        "Parking",
    ]
    rate = store.reader.execute(
        "SELECT requested_rate_pence FROM claim_item WHERE kind = 'care'"
    ).fetchone()
    assert rate == (1200,)


def test_care_over_the_cap_and_missing_columns_are_named(tmp_path, store) -> None:
    path = write(
        tmp_path,
        "member,date,category,amount,hours,event\n"
        "Jane,2025-07-08,childcare,60.00,2,Board\n"  # £30 an hour: the cap is £15
        "Jane,2025-07-08,childcare,,,Board\n"
        "Jane,2025-07-08,childcare,10,,Board\n",
    )
    with pytest.raises(ClaimsImportError) as caught:
        import_claims(store, RULES, path, who="Tess")
    message = caught.value.message
    assert "line 3: care needs the hours (and the amount, or the rate column)" in message
    assert "line 4: care needs the hours" in message
    path = write(tmp_path, "member,date,category,amount,hours,event\nJane,2025-07-08,care,60,2,B\n")
    with pytest.raises(
        ClaimsImportError, match=r"line 2: the amount 60 does not match the £30\.00"
    ):
        import_claims(store, RULES, path, who="Tess")


def test_ambiguous_and_unknown_words_say_did_you_mean_once(tmp_path, store) -> None:
    path = write(
        tmp_path,
        "member,date,category,amount,event\n"
        "Jane,2025-07-08,p,3,Board\n"
        "Jane,2025-07-08,taxo,3,Board\n"
        "Jane,2025-07-08,zzz,3,Board\n",
    )
    with pytest.raises(ClaimsImportError) as caught:
        import_claims(store, RULES, path, who="Tess")
    message = caught.value.message
    assert "line 2: the category “p” could be" in message
    assert "line 3: there is no category “taxo”; did you mean Taxi?" in message
    assert "line 4: there is no category “zzz”" in message
    assert message.count("Public transport") == 1  # the list, once


def test_every_problem_in_every_row_in_one_run(tmp_path, store) -> None:
    path = write(
        tmp_path,
        "member,date,category,amount,receipt,event\n"
        ",2025-02-30,bux,abc,maybe,Board\n"
        "Jane,yesterday,Taxi,,yes,Board\n",
    )
    with pytest.raises(ClaimsImportError) as caught:
        import_claims(store, RULES, path, who="Tess")
    by_line: dict[int, int] = {}
    for line, _ in caught.value.problems:
        by_line[line] = by_line.get(line, 0) + 1
    assert by_line == {2: 5, 3: 2}
    assert store.reader.execute("SELECT count(*) FROM claim").fetchone() == (0,)


def test_duplicates_are_flagged_and_draft_imports_drafts(tmp_path, store) -> None:
    path = write(
        tmp_path,
        "member,date,category,amount,event\n"
        "Jane,2025-07-08,Taxi,12.50,Board\n"
        "Jane,2025-07-08,taxi,12.50,Board\n"
        "Jane,2025-07-08,Taxi,4,Board\n",
    )
    result = import_claims(store, RULES, path, who="Tess", draft=True)
    assert result.warnings == (
        "Possible duplicates, lines 2, 3: Jane, 2025-07-08, Taxi 12.50 (imported; check them)",
    )
    assert "as drafts" in result.summary()
    assert {r.status for r in claim_rows(store.reader)} == {"draft"}


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_csv_encodings_excel_saves(tmp_path, store, encoding: str) -> None:
    path = write(
        tmp_path,
        "member,date,category,amount,event\r\nZoë Brontë,2025-07-08,Taxi,£12.50,Board\r\n",
        encoding=encoding,
    )
    assert import_claims(store, RULES, path, who="Tess").total_pence == 1250
    assert store.reader.execute("SELECT name FROM member").fetchone() == ("Zoë Brontë",)


def test_xlsx_as_excel_saves_it(tmp_path, store) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Member", "Date", "Category", "Amount", "Miles", "Receipt"])
    sheet.append(["Jane Parent", dt.datetime(2025, 7, 8), "Taxi", 12.5, None, True])
    sheet.append(["Jane Parent", dt.datetime(2025, 7, 8), "car", None, 30, None])
    path = tmp_path / "claims.xlsx"
    book.save(path)
    result = import_claims(store, RULES, path, who="Tess")
    assert result.total_pence == 1250 + 30 * 45
    assert store.reader.execute("SELECT receipt FROM claim_item ORDER BY id").fetchall() == [
        (1,),
        (0,),
    ]


def test_a_fifo_is_refused_not_waited_on(tmp_path, store) -> None:
    fifo = tmp_path / "claims.csv"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="not a regular file"):
        import_claims(store, RULES, fifo, who="Tess")


@settings(max_examples=8, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    miles=st.lists(st.integers(1, 1999), min_size=2, max_size=6),
    order=st.randoms(use_true_random=False),
)
def test_import_order_does_not_change_per_claim_amounts(tmp_path, store, miles, order) -> None:
    """Rows imported latest-first, or in any order, price each claim as date order does."""
    days = [dt.date(2025, 5, 1) + dt.timedelta(days=n) for n in range(len(miles))]
    rows = [
        f"{{who}},{d.isoformat()},Car mileage,{m},Trip" for d, m in zip(days, miles, strict=True)
    ]
    shuffled = list(rows)
    order.shuffle(shuffled)
    totals = []
    for n, listing in enumerate((rows, shuffled)):
        who = f"Member {next(_members)}"
        text = "member,date,category,miles,event\n" + "\n".join(r.format(who=who) for r in listing)
        path = write(tmp_path, text + "\n", name=f"c{n}.csv")
        import_claims(store, RULES, path, who="Tess")
        mine = [r for r in claim_rows(store.reader) if r.member == who]
        totals.append({r.claim_date: r.total_pence for r in mine})
    assert totals[0] == totals[1]


def test_a_file_under_an_unknown_users_home_is_one_message(store) -> None:
    """`claims import ~nobody/x.csv` gave a RuntimeError from expanduser (the sweep found it)."""
    from sendtui.errors import InputError
    from sendtui.services.claims.spreadsheet import _check_file

    with pytest.raises(InputError, match="no such user"):
        _check_file(Path("~no-such-user-here-xyz/claims.csv"))
