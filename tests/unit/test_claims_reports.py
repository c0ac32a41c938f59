"""Reports and the payment batch: totals agree everywhere, to the penny (property-tested)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from sendtui.errors import InputError
from sendtui.models import Claim
from sendtui.services.claims.batch import batch_csv, payment_batch
from sendtui.services.claims.detail import ClaimHeader
from sendtui.services.claims.items import ItemInput
from sendtui.services.claims.members import MemberInput, MemberService
from sendtui.services.claims.payees import Split, split
from sendtui.services.claims.queries import claim_rows
from sendtui.services.claims.reports import (
    ALL_STATUSES,
    BY_CHOICES,
    claims_report,
    parse_statuses,
    report_csv,
)
from sendtui.services.claims.rules import ClaimRules
from sendtui.services.claims.workflow import ClaimService
from sendtui.services.money import format_pence
from sendtui.store.store import Store

RULES = ClaimRules()
NAMES = ("Jane Parent", "Bob New", "=cmd|' /C calc'!A0")

item_strategy = st.one_of(
    st.builds(
        lambda p, r: ItemInput("Taxi", amount=format_pence(p, symbol=False), receipt=r),
        st.integers(1, 20_000),
        st.booleans(),
    ),
    st.builds(
        lambda p: ItemInput("Subsistence", amount=format_pence(p, symbol=False)),
        st.integers(1, 5_000),
    ),
    st.builds(
        lambda t, n: ItemInput("Car mileage", miles=f"{t // 10}.{t % 10}", passengers=str(n)),
        st.integers(1, 20_000),
        st.integers(0, 3),
    ),
    st.builds(
        lambda m: ItemInput(
            "Childcare or replacement care", hours=f"{m // 60}:{m % 60:02d}", rate="13.37"
        ),
        st.integers(1, 600),
    ),
    st.builds(
        lambda m: ItemInput("Remuneration", hours=f"{m // 60}:{m % 60:02d}"), st.integers(1, 600)
    ),
)
claim_strategy = st.tuples(
    st.sampled_from(range(len(NAMES))),
    st.dates(dt.date(2025, 4, 6), dt.date(2027, 12, 31)),  # grades are paid from 6 April 2025
    st.sampled_from(["draft", "submitted", "approved", "paid", "rejected"]),
    st.sampled_from([None, "forum", "declined"]),
    st.lists(item_strategy, min_size=1, max_size=4),
)


def build(store: Store, claims: list) -> list[int]:  # type: ignore[type-arg]
    members = MemberService(store, RULES, who="T")
    ids = [members.add(MemberInput(n, grade="Representative")).id for n in NAMES]
    service = ClaimService(store, RULES, who="T")
    made = []
    for who, day, status, pay_to, items in claims:
        header = ClaimHeader(ids[who], day, meeting=f"Meeting {day.month}", pay_to=pay_to)
        claim_id = service.create(header, items, submit=status != "draft")
        if status in ("approved", "paid"):
            service.approve(claim_id, approver="Ann")
            if status == "paid":
                service.pay(claim_id, paid_on=dt.date.today(), method="Cash")
        elif status == "rejected":
            service.reject(claim_id, "no")
        made.append(claim_id)
    return made


def build_quickly(store: Store, claims: list) -> None:  # type: ignore[type-arg]
    """The same claims in one transaction (statuses set directly): the totals do not depend
    on how a claim reached its status, and one commit per example keeps the test quick."""
    members = MemberService(store, RULES, who="T")
    service = ClaimService(store, RULES, who="T")
    with store.write() as s:
        ids = [
            members.add_in(
                s,
                {
                    "name": n,
                    "grade": "Representative",
                    "email": "",
                    "phone": "",
                    "address": "",
                    "payment_preference": "member",
                    "payment_reference": "",
                    "notes": "",
                },
            ).id
            for n in NAMES
        ]
        for who, day, status, pay_to, items in claims:
            header = ClaimHeader(ids[who], day, meeting=f"Meeting {day.month}", pay_to=pay_to)
            claim = s.get(Claim, service.create_in(s, header, items))
            assert claim is not None
            claim.status = status
            s.add(claim)


def test_totals_agree_everywhere() -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "t.db")
        try:
            check_totals(store)
        finally:
            store.close()


def check_totals(store: Store) -> None:
    @settings(max_examples=40)
    @given(st.lists(claim_strategy, min_size=1, max_size=10))
    def totals_agree(claims: list) -> None:  # type: ignore[type-arg]
        with store.write() as s:
            for table in ("audit_entry", "claim_item", "claim", "member"):
                s.exec(text(f"DELETE FROM {table}"))  # type: ignore[call-overload]
        build_quickly(store, claims)
        conn = store.reader
        items = dict(
            conn.execute(
                "SELECT claim_id, sum(amount_pence) FROM claim_item GROUP BY claim_id"
            ).fetchall()
        )
        rows = claim_rows(conn)
        service = ClaimService(store, RULES, who="T")
        for row in rows:  # the items of a claim sum to the claim, wherever it is shown
            assert row.total_pence == items.get(row.id, 0)
            assert service.get(row.id).total_pence == row.total_pence
        for statuses in [ALL_STATUSES, ("paid",), ("approved", "submitted")]:
            expected = sum(r.total_pence for r in rows if r.status in statuses)
            count = sum(1 for r in rows if r.status in statuses)
            for by in BY_CHOICES:
                report = claims_report(conn, RULES, by, statuses)
                assert report.total_pence == expected
                assert sum(r.total_pence for r in report.rows) == expected
                assert sum(r.items for r in report.rows) == report.items
                if by != "category":  # a claim's items may sit in several categories
                    assert sum(r.claims for r in report.rows) == count == report.claims
                lines = list(csv.reader(io.StringIO(report_csv(report))))
                assert lines[-1][0] == "Total"
                assert lines[-1][3] == format_pence(expected, symbol=False)
        batch = payment_batch(conn, "The Forum")
        approved = [r for r in rows if r.status == "approved"]
        kinds: dict[int, list[tuple[str, int]]] = {}
        for claim_id, kind, amount in conn.execute(
            "SELECT claim_id, kind, amount_pence FROM claim_item"
        ):
            kinds.setdefault(claim_id, []).append((kind, amount))
        shares = {r.id: split(r.pay_to, kinds.get(r.id, [])) for r in approved}
        # expenses always go to the member; the forum never appears as a payee
        assert batch.total_pence == sum(s.to_member for s in shares.values())
        assert batch.kept_pence == sum(s.to_forum for s in shares.values())
        assert batch.declined_pence == sum(s.declined for s in shares.values())
        assert all(row.pay_to == "member" for row in batch.rows)
        assert set(batch.claim_ids) | set(batch.declined) | set(batch.kept_by_forum) >= {
            r.id for r in approved if kinds.get(r.id)
        }
        for statuses in [ALL_STATUSES, ("paid",)]:
            report = claims_report(conn, RULES, "member", statuses)
            assert report.split.total == report.total_pence
            assert all(r.split.total == r.total_pence for r in report.rows)
        for line in csv.reader(io.StringIO(batch_csv(batch))):
            assert not line[0].startswith("=")  # never a spreadsheet formula

    totals_agree()


def test_report_rows_and_order(store, event) -> None:
    build(
        store,
        [
            (
                0,
                dt.date(2025, 7, 8),
                "paid",
                None,
                [ItemInput("Taxi", amount="10"), ItemInput("Car mileage", miles="10")],
            ),
            (1, dt.date(2025, 3, 31), "submitted", None, [ItemInput("Parking", amount="2.50")]),
            (1, dt.date(2025, 4, 1), "rejected", None, [ItemInput("Taxi", amount="99")]),
            (0, dt.date(2025, 7, 9), "draft", None, [ItemInput("Taxi", amount="1")]),
        ],
    )
    conn = store.reader
    by_year = claims_report(conn, RULES, "year")
    assert [(r.label, r.total_pence) for r in by_year.rows] == [("2024-25", 250), ("2025-26", 1450)]
    by_category = claims_report(conn, RULES, "category")
    assert [r.label for r in by_category.rows] == ["Taxi", "Parking", "Car mileage"]
    by_member = claims_report(conn, RULES, "member", ALL_STATUSES)
    assert by_member.total_pence == 1000 + 450 + 250 + 9900 + 100
    text = report_csv(claims_report(conn, RULES, "month"))
    assert text.splitlines() == [
        "month,claims,items,amount,to_members,to_forum,declined",
        "2025-03,1,1,2.50,2.50,0.00,0.00",
        "2025-07,1,2,14.50,14.50,0.00,0.00",
        "Total,2,3,17.00,17.00,0.00,0.00",
    ]


def test_report_by_event(store, event) -> None:
    members = MemberService(store, RULES, who="T")
    jane = members.add(MemberInput("Jane")).id
    assert jane is not None
    service = ClaimService(store, RULES, who="T")
    service.create(
        ClaimHeader(jane, dt.date(2025, 7, 8), event_id=event["event"]),
        [ItemInput("Taxi", amount="4")],
        submit=True,
    )
    service.create(
        ClaimHeader(jane, dt.date(2025, 7, 8), meeting="Board"),
        [ItemInput("Taxi", amount="6")],
        submit=True,
    )
    report = claims_report(store.reader, RULES, "event")
    assert [(r.label, r.total_pence) for r in report.rows] == [
        ("Test consultation", 400),
        ("Meeting: Board", 600),
    ]


def test_batch_one_row_per_member_and_the_forum_never_pays_itself(store) -> None:
    fee = ItemInput("Remuneration", sessions="1")  # Representative: £40.00 a session
    build(
        store,
        [
            (0, dt.date(2025, 7, 8), "approved", None, [ItemInput("Taxi", amount="10")]),
            (0, dt.date(2025, 7, 9), "approved", None, [ItemInput("Taxi", amount="5")]),
            (1, dt.date(2025, 7, 9), "approved", "forum", [ItemInput("Taxi", amount="7"), fee]),
            (0, dt.date(2025, 7, 10), "approved", "declined", [ItemInput("Taxi", amount="3"), fee]),
            (1, dt.date(2025, 7, 9), "paid", None, [ItemInput("Taxi", amount="70")]),
        ],
    )
    batch = payment_batch(store.reader, "Kent PCF")
    lines = batch_csv(batch).splitlines()
    assert lines == [
        "payee,pay_to,payment_reference,amount,claims",
        "Bob New,member,,7.00,3",  # expenses go to the member even when pay to is the forum
        "Jane Parent,member,,18.00,1 2 4",
    ]
    assert (batch.kept_by_forum, batch.kept_pence) == ((3,), 4000)
    assert (batch.declined, batch.declined_pence) == ((4,), 4000)
    assert "kept by the forum" in batch.notes()[0] and "£40.00" in batch.notes()[0]


def test_reports_split_paid_to_members_and_to_the_forum(store) -> None:
    fee = ItemInput("Remuneration", sessions="1")
    build(
        store,
        [
            (0, dt.date(2025, 7, 8), "paid", "forum", [ItemInput("Taxi", amount="10"), fee]),
            (1, dt.date(2025, 7, 9), "paid", None, [fee]),
            (1, dt.date(2025, 7, 10), "rejected", None, [ItemInput("Taxi", amount="99")]),
        ],
    )
    report = claims_report(store.reader, RULES, "member")
    assert [(r.label, r.to_member_pence, r.to_forum_pence) for r in report.rows] == [
        ("Bob New", 4000, 0),
        ("Jane Parent", 1000, 4000),
    ]
    assert "rejected claims not counted" in report.title
    assert report_csv(report).splitlines()[-1] == "Total,2,3,90.00,50.00,40.00,0.00"


def test_split_rule() -> None:
    assert split("forum", [("amount", 500), ("remuneration", 4000), ("car", 450)]) == Split(
        950, 4000, 0
    )
    assert split("declined", [("care", 100), ("remuneration", 10)]) == Split(100, 0, 10)
    assert split("member", [("remuneration", 10)]) == Split(10, 0, 0)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (None, ("submitted", "approved", "paid")),
        ("all", ALL_STATUSES),
        ("paid", ("paid",)),
        (" Paid , approved", ("paid", "approved")),
    ],
)
def test_parse_statuses(text: str | None, expected: tuple[str, ...]) -> None:
    assert parse_statuses(text) == expected


def test_bad_status_and_grouping() -> None:
    with pytest.raises(InputError, match="no status “payed”"):
        parse_statuses("payed")
    with pytest.raises(InputError, match="Report by"):
        claims_report(None, RULES, "week")  # type: ignore[arg-type]
