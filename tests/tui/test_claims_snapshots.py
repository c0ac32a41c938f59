"""Snapshots of the treasurer's screens (update with --snapshot-update, then look at them).

Claims are dated in July 2025 and the "late" flag is set far off, so nothing depends on the
day the tests run; the treasurer is named, so nothing depends on the login name.
"""

from __future__ import annotations

import datetime as dt

import msgspec
import pytest

from sendtui.config import Config
from sendtui.services.bootstrap import open_store
from sendtui.services.claims.detail import ClaimHeader
from sendtui.services.claims.items import ItemInput
from sendtui.services.claims.members import MemberInput, MemberService
from sendtui.services.claims.rules import ClaimRules
from sendtui.services.claims.workflow import ClaimService
from tests.tui.helpers import app_for, settle, type_text

SIZE = (110, 32)


@pytest.fixture
def treasurer(config: Config) -> Config:
    claims = msgspec.structs.replace(
        config.claims, treasurer="Tess Treasurer", flag_older_than_days=36_500
    )
    config = msgspec.structs.replace(config, claims=claims)
    opened = open_store(config)
    try:
        seed(opened.store, ClaimRules(config.claims))
    finally:
        opened.store.close()
    return config


def seed(store, rules: ClaimRules) -> None:  # type: ignore[no-untyped-def]
    members = MemberService(store, rules, who="Tess Treasurer")
    jane = members.add(MemberInput("Jane Parent", grade="Representative", email="j@example.org"))
    bob = members.add(MemberInput("Bob New", payment_preference="forum"))
    service = ClaimService(store, rules, who="Tess Treasurer")
    day = dt.date(2025, 7, 8)
    first = service.create(
        ClaimHeader(jane.id or 0, day, meeting="SEND partnership board"),
        [
            ItemInput(
                "Car mileage",
                miles="24.5",
                passengers="1",
                from_place="Ashford",
                to_place="Maidstone",
            ),
            ItemInput("Taxi", amount="12.50", receipt=True),
        ],
        submit=True,
    )
    service.approve(first, approver="Ann Chair")
    service.pay(first, paid_on=dt.date(2025, 7, 20), method="Bank transfer", reference="BACS 7")
    service.create(
        ClaimHeader(jane.id or 0, day.replace(day=10), meeting="Coffee morning"),
        [ItemInput("Remuneration", hours="14"), ItemInput("Parking", amount="25")],
        submit=True,
    )
    service.create(
        ClaimHeader(bob.id or 0, day.replace(day=9), meeting="Parent forum steering group"),
        [ItemInput("Childcare or replacement care", hours="2:30", rate="18", receipt=True)],
        submit=True,
    )


def test_claims_screen(snap_compare, treasurer: Config) -> None:
    async def open_claims(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("s", "s", "s", "s", "s", "s")  # all statuses

    assert snap_compare(app_for(treasurer), terminal_size=SIZE, run_before=open_claims)


def test_claims_screen_small_terminal(snap_compare, treasurer: Config) -> None:
    async def open_claims(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)

    assert snap_compare(app_for(treasurer), terminal_size=(80, 24), run_before=open_claims)


def test_claim_form_working_out_mileage(snap_compare, treasurer: Config) -> None:
    async def fill(pilot) -> None:  # type: ignore[no-untyped-def]
        from textual.widgets import Input, Select

        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("space", "down", "down", "enter", "enter")  # Jane Parent, then Date
        await type_text(pilot, "2025-07-21")
        screen = pilot.app.screen
        screen.query_one("#field-meeting", Input).value = "SEND partnership board"
        screen.query_one("#field-category", Select).value = "Taxi"
        await pilot.pause()
        screen.query_one("#field-amount", Input).value = "8.40"
        await pilot.pause()
        await pilot.press("ctrl+n")
        screen.query_one("#field-category", Select).value = "Car mileage"
        await pilot.pause()
        for name, text in (
            ("from_place", "Ashford"),
            ("to_place", "Maidstone"),
            ("miles", "31.5"),
            ("passengers", "x"),
        ):
            screen.query_one(f"#field-{name}", Input).value = text
        await pilot.pause()

    assert snap_compare(app_for(treasurer), terminal_size=SIZE, run_before=fill)


def test_approve_dialog_with_the_earnings_flag(snap_compare, treasurer: Config) -> None:
    async def approve(pilot) -> None:  # type: ignore[no-untyped-def]
        from textual.widgets import DataTable

        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        table = pilot.app.screen.query_one(DataTable)
        table.move_cursor(row=table.get_row_index("2"))
        await pilot.press("a")
        await pilot.pause()

    assert snap_compare(app_for(treasurer), terminal_size=SIZE, run_before=approve)


def test_members_screen(snap_compare, treasurer: Config) -> None:
    async def members(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("m")
        await pilot.pause()

    assert snap_compare(app_for(treasurer), terminal_size=(80, 24), run_before=members)


def test_claims_report_screen(snap_compare, treasurer: Config) -> None:
    async def report(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("t")
        await pilot.pause()
        await pilot.press("down", "down")  # by category

    assert snap_compare(app_for(treasurer), terminal_size=SIZE, run_before=report)


def test_approve_several_marked_claims_small_terminal(snap_compare, treasurer: Config) -> None:
    """One confirmation listing the marked claims and their total, at 80x24."""

    async def approve_marked(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("space", "space", "a")
        await settle(pilot)

    assert snap_compare(app_for(treasurer), terminal_size=(80, 24), run_before=approve_marked)
