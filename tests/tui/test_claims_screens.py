"""The treasurer's journey through the real app: members, claims, approve, pay, reject."""

from __future__ import annotations

import datetime as dt
import sqlite3

from textual.widgets import DataTable, Input, Select, Static

from sendtui.config import Config
from sendtui.services.claims.detail import ClaimHeader
from sendtui.services.claims.items import ItemInput
from sendtui.services.claims.members import MemberInput, MemberService
from sendtui.services.claims.rules import ClaimRules
from sendtui.services.claims.workflow import ClaimService
from sendtui.tui.screens.claim_approve import ApproveScreen
from sendtui.tui.screens.claim_form import ClaimFormScreen
from sendtui.tui.screens.claims import ClaimsScreen
from sendtui.tui.screens.confirm import ConfirmScreen
from sendtui.tui.screens.events import EventsScreen
from sendtui.tui.screens.form import FormScreen
from sendtui.tui.screens.members import MembersScreen
from sendtui.tui.widgets.claims_item_editor import ItemEditor
from tests.conftest import MARKUP
from tests.tui.helpers import SIZE, app_for, screen_text, settle, type_text

DAY = dt.date(2025, 7, 8)


def db(config: Config, sql: str, *args: object) -> list[tuple]:  # type: ignore[type-arg]
    with sqlite3.connect(config.database_path) as conn:
        return conn.execute(sql, args).fetchall()


def add_member(store, name: str = "Jane Parent", grade: str = "Representative") -> int:
    member = MemberService(store, ClaimRules(), who="Tess").add(MemberInput(name, grade=grade))
    assert member.id is not None
    return member.id


def add_claim(store, member: int, *items: ItemInput, day: dt.date = DAY, **kw: object) -> int:
    service = ClaimService(store, ClaimRules(), who="Tess")
    return service.create(ClaimHeader(member, day, meeting="Board"), list(items), **kw)  # type: ignore[arg-type]


async def open_claims(pilot, name: str = "Tess Treasurer") -> ClaimsScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.press("c")
    await settle(pilot)
    if isinstance(pilot.app.screen, FormScreen):  # asked once: who is making changes
        await type_text(pilot, name)
        await pilot.press("enter")
        await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ClaimsScreen)
    return screen


async def item(pilot, category: str, **typed: str) -> None:  # type: ignore[no-untyped-def]
    """Fill the item editor: the category, then each field, by typing."""
    editor = pilot.app.screen.query_one(ItemEditor)
    editor.query_one("#field-category", Select).value = category
    await pilot.pause()
    for name, text in typed.items():
        editor.query_one(f"#field-{name}", Input).focus()
        await pilot.pause()
        await type_text(pilot, text)
    await pilot.pause()


def working(pilot) -> str:  # type: ignore[no-untyped-def]
    return str(pilot.app.screen.query_one("#item-working", Static).render())


async def test_c_opens_claims_and_escape_goes_back(config: Config) -> None:
    app = app_for(config)
    async with app.run_test(size=SIZE) as pilot:
        await open_claims(pilot)
        assert "No claims match the filter" in screen_text(app)
        await pilot.press("s")
        assert "Status: submitted" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, EventsScreen)


async def test_add_a_member(config: Config) -> None:
    app = app_for(config)
    async with app.run_test(size=SIZE) as pilot:
        await open_claims(pilot)
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, MembersScreen)
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        await type_text(pilot, "Jane Parent")
        form.query_one("#field-grade", Select).value = "Representative"
        form.query_one("#field-payment_preference", Select).value = "forum"
        form.query_one("#field-email", Input).value = "jane@example.org"
        await pilot.click("#save")
        await settle(pilot)
        assert isinstance(app.screen, MembersScreen)
        assert "Jane Parent" in screen_text(app) and "Representative" in screen_text(app)
        assert db(config, "SELECT name, grade, payment_preference, email FROM member") == [
            ("Jane Parent", "Representative", "forum", "jane@example.org")
        ]
        await pilot.press("n")
        await pilot.pause()
        await type_text(pilot, "Bob")
        app.screen.query_one("#field-payment_reference", Input).value = "12-34-56 12345678"
        await pilot.click("#save")
        await pilot.pause()
        assert "does not store bank details" in screen_text(app)
        assert isinstance(app.screen, FormScreen)


async def test_claim_with_mileage_across_the_line_care_and_remuneration(
    config: Config, store
) -> None:
    jane = add_member(store)
    for n in range(5):  # 9,990 car miles already claimed this tax year
        add_claim(store, jane, ItemInput("Car mileage", miles="1998"), day=DAY.replace(day=1 + n))
    app = app_for(config)
    async with app.run_test(size=SIZE) as pilot:
        await open_claims(pilot)
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ClaimFormScreen)
        await pilot.press("space", "down", "enter")  # the member: Jane Parent
        await pilot.press("enter")  # Enter moves on to the date
        await type_text(pilot, "2025-07-20")
        form.query_one("#field-meeting", Input).focus()
        await pilot.pause()
        await type_text(pilot, "SEND partnership board")
        await item(pilot, "Car mileage", from_place="Ashford", to_place="Maidstone", miles="20")
        # 10 miles to reach 10,000 at 45p, then 10 at 25p: worked out as it is typed
        assert "£7.00" in working(pilot) and "after 10,000 miles" in working(pilot)
        await pilot.press("ctrl+n")
        await item(pilot, "Childcare or replacement care", hours="2:30", rate="18")
        assert "£37.50" in working(pilot) and "capped from £18.00" in working(pilot)
        await pilot.press("ctrl+n")
        await item(pilot, "Remuneration", hours="2")
        assert "£30.00" in working(pilot) and "Representative" in working(pilot)
        await pilot.press("ctrl+n")
        assert "Total £74.50 (3 items)" in screen_text(app)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ClaimsScreen)
    [(claim_id, status)] = db(
        config, "SELECT id, status FROM claim WHERE claim_date = '2025-07-20'"
    )
    assert status == "submitted"
    amounts = db(
        config, "SELECT amount_pence FROM claim_item WHERE claim_id = ? ORDER BY position", claim_id
    )
    assert amounts == [(700,), (3750,), (3000,)]


async def test_field_problems_show_next_to_the_field(config: Config, store) -> None:
    add_member(store)
    app = app_for(config)
    async with app.run_test(size=SIZE) as pilot:
        await open_claims(pilot)
        await pilot.press("n")
        await pilot.pause()
        await item(pilot, "Taxi", amount="12,50")
        form = app.screen
        message = str(form.query_one("#err-amount", Static).render())
        assert "Use a full stop for pence" in message
        await pilot.press("ctrl+n")
        assert "Choose the member first" in str(form.query_one("#err-member", Static).render())
        form.query_one("#field-amount", Input).value = ""
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Enter the date" in str(form.query_one("#err-date", Static).render())
        assert isinstance(app.screen, ClaimFormScreen)
        await pilot.press("escape")  # something was typed: asks before losing it
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, ClaimFormScreen)
        await pilot.press("escape", "y")
        await pilot.pause()
        assert isinstance(app.screen, ClaimsScreen)
    assert db(config, "SELECT count(*) FROM claim") == [(0,)]


async def test_approve_pay_and_reject(config: Config, store) -> None:
    jane = add_member(store)
    first = add_claim(store, jane, ItemInput("Taxi", amount="12.50", receipt=True), submit=True)
    second = add_claim(
        store, jane, ItemInput("Taxi", amount="40"), day=DAY.replace(day=9), submit=True
    )
    app = app_for(config)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_claims(pilot)
        table = screen.query_one(DataTable)
        table.move_cursor(row=table.get_row_index(str(first)))
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, ApproveScreen)
        approver = app.screen.query_one("#approver", Input)
        approver.value = "Ann Chair"
        await pilot.press("enter")  # the focused "Approve" button
        await settle(pilot)
        assert isinstance(app.screen, ClaimsScreen)
        await pilot.press("p")
        await pilot.pause()
        app.screen.query_one("#field-reference", Input).value = "BACS 0042"
        await pilot.click("#save")
        await settle(pilot)
        table.move_cursor(row=table.get_row_index(str(second)))
        await pilot.press("r")
        await pilot.pause()
        await type_text(pilot, "No receipt for the taxi")
        await pilot.click("#save")
        await settle(pilot)
        await pilot.press("s", "s", "s", "s", "s", "s")  # back round to "all"
        assert "Status: all" in screen_text(app)
        assert "paid" in screen_text(app) and "rejected" in screen_text(app)
    rows = db(
        config,
        "SELECT id, status, approved_by, payment_reference, rejected_reason FROM claim ORDER BY id",
    )
    assert rows == [
        (first, "paid", "Ann Chair", "BACS 0042", ""),
        (second, "rejected", "", "", "No receipt for the taxi"),
    ]
    who = db(
        config,
        "SELECT who, action FROM audit_entry WHERE entity = 'claim' AND entity_id = ? ORDER BY id",
        first,
    )
    assert [w for w, _ in who][-2:] == ["Ann Chair", "Tess Treasurer"]


async def test_earnings_limit_warning_offers_paying_the_forum(config: Config, store) -> None:
    jane = add_member(store)
    service = ClaimService(store, ClaimRules(), who="Tess")
    paid = add_claim(store, jane, ItemInput("Remuneration", hours="12"), submit=True)
    service.approve(paid, approver="Ann")  # £180 in the week of 7 July 2025
    over = add_claim(
        store, jane, ItemInput("Remuneration", hours="2"), day=DAY.replace(day=10), submit=True
    )
    app = app_for(config)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_claims(pilot)
        table = screen.query_one(DataTable)
        table.move_cursor(row=table.get_row_index(str(over)))
        await pilot.pause()
        assert "Consider paying the forum instead" in screen_text(app)  # in the detail
        await pilot.press("a")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ApproveScreen)
        text = screen_text(app)
        assert "£210.00" in text and "£196.00" in text
        # Plain approve is the default; paying the forum is an explicit choice (Tab to it)
        assert dialog.focused is not None and dialog.focused.id == "approve"
        body = str(dialog.query_one("#dialog-body", Static).render())
        assert "Approve pays £30.00 to Jane Parent" in body  # where the money goes
        assert "£30.00 (remuneration) to Parent Carer Forum instead" in body
        await pilot.press("tab")
        assert dialog.focused is not None and dialog.focused.id == "approve-forum"
        await pilot.press("enter")
        await settle(pilot)
    assert db(config, "SELECT status, pay_to FROM claim WHERE id = ?", over) == [
        ("approved", "forum")
    ]


async def test_without_the_earnings_flag_approval_keeps_the_payee(config: Config, store) -> None:
    """Found trying the app: Tab, Enter in a plain approval used to press "pay the forum
    instead" and quietly change who is paid."""
    jane = add_member(store)
    claim = add_claim(store, jane, ItemInput("Taxi", amount="3"), submit=True)
    app = app_for(config)
    async with app.run_test(size=SIZE) as pilot:
        await open_claims(pilot)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, ApproveScreen)
        assert not app.screen.query("#approve-forum")
        assert "pay the forum" not in screen_text(app)
        await pilot.press("tab", "enter")  # from "Approve" to "Cancel": nothing approved
        await settle(pilot)
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("enter")  # "Approve" has the focus
        await settle(pilot)
    assert db(config, "SELECT status, pay_to FROM claim WHERE id = ?", claim) == [
        ("approved", "member")
    ]


async def test_self_approval_is_refused_in_the_dialog(config: Config, store) -> None:
    jane = add_member(store)
    add_claim(store, jane, ItemInput("Taxi", amount="3"), submit=True)
    app = app_for(config)
    async with app.run_test(size=SIZE) as pilot:
        await open_claims(pilot)
        await pilot.press("a")
        await pilot.pause()
        app.screen.query_one("#approver", Input).value = "Jane Parent"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ApproveScreen)
        assert "cannot approve their own claim" in screen_text(app)


async def test_paid_claim_is_locked_and_corrected(config: Config, store) -> None:
    jane = add_member(store)
    service = ClaimService(store, ClaimRules(), who="Tess")
    claim_id = add_claim(store, jane, ItemInput("Taxi", amount="30", receipt=True), submit=True)
    service.approve(claim_id, approver="Ann")
    service.pay(claim_id, paid_on=dt.date.today(), method="Cash")
    app = app_for(config)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_claims(pilot)
        await pilot.press("s", "s", "s")  # paid
        await pilot.press("e")
        await pilot.pause()
        assert "locked" in screen_text(app)
        await pilot.press("k")
        await pilot.pause()
        assert isinstance(app.screen, ClaimFormScreen)
        assert f"Correcting claim for claim {claim_id}" in screen_text(app)
        await item(pilot, "Taxi", amount="-4.00")
        await pilot.press("ctrl+n", "ctrl+s")
        await settle(pilot)
    assert db(config, "SELECT corrects_id, status FROM claim WHERE id != ?", claim_id) == [
        (claim_id, "draft")
    ]


async def test_user_text_is_never_markup(config: Config, store) -> None:
    member = add_member(store, MARKUP, grade="")
    add_claim(store, member, ItemInput("Taxi", amount="3", description=MARKUP), submit=True)
    app = app_for(config)
    async with app.run_test(size=SIZE) as pilot:
        await open_claims(pilot)
        text = screen_text(app)
        assert text.count("[@click=app.quit]x[/]") >= 2  # the table and the detail
        await pilot.press("m")
        await pilot.pause()
        assert "[@click=app.quit]x[/]" in screen_text(app)  # the name column is 16 wide
        await pilot.press("escape", "a")
        await pilot.pause()
        assert MARKUP in screen_text(app)  # the approve dialog
    assert app.return_code in (None, 0)
