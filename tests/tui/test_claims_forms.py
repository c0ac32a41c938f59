"""Forms a treasurer fills with the keyboard: Enter visits every field (drop-downs and tick
boxes too) and what is stored is what was typed where it was typed; the treasurer's name is
asked once; several claims are approved or paid after one confirmation."""

from __future__ import annotations

import datetime as dt

from textual.widgets import Input, Static

from sendtui.config import Config
from sendtui.services.claims.items import ItemInput
from sendtui.services.claims.rules import ClaimRules
from sendtui.services.claims.workflow import ClaimService
from sendtui.tui.screens.claims import ClaimsScreen
from sendtui.tui.screens.form import FormScreen
from tests.tui.helpers import SIZE, app_for, screen_text, settle, type_text
from tests.tui.test_claims_screens import DAY, add_claim, add_member, db, open_claims


def focused_id(app) -> str:  # type: ignore[no-untyped-def]
    return app.focused.id if app.focused is not None else ""


async def test_enter_through_the_payment_form_stores_each_field(config: Config, store) -> None:
    """Found trying the app: Enter skipped the Method drop-down, so a reference typed after
    two Enters was recorded as who paid, and the claim had no reference."""
    jane = add_member(store)
    claim = add_claim(store, jane, ItemInput("Taxi", amount="42", receipt=True), submit=True)
    ClaimService(store, ClaimRules(), who="Tess").approve(claim, approver="Jo Bloggs")
    app = app_for(config)
    async with app.run_test(size=SIZE) as pilot:
        await open_claims(pilot)
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        assert focused_id(app) == "field-paid_on"
        await pilot.press("enter")
        assert focused_id(app) == "field-method"  # the drop-down is visited, not skipped
        await pilot.press("space")  # space opens the list; ↓ and Enter choose "Cheque"
        await pilot.pause()
        await pilot.press("down", "enter")
        await pilot.pause()
        assert focused_id(app) == "field-method"
        await pilot.press("enter")
        assert focused_id(app) == "field-reference"
        await type_text(pilot, "FPS-000123")
        await pilot.press("enter")
        assert focused_id(app) == "field-by"
        await pilot.press("enter")  # Enter on the last field saves
        await settle(pilot)
        assert isinstance(app.screen, ClaimsScreen)
    assert db(
        config,
        "SELECT status, payment_method, payment_reference, paid_by, paid_on FROM claim",
    ) == [("paid", "Cheque", "FPS-000123", "Tess Treasurer", dt.date.today().isoformat())]


async def test_payment_dated_before_the_claim_is_refused_in_the_form(config: Config, store) -> None:
    jane = add_member(store)
    claim = add_claim(store, jane, ItemInput("Taxi", amount="4"), submit=True)
    ClaimService(store, ClaimRules(), who="Tess").approve(claim, approver="Jo Bloggs")
    app = app_for(config)
    async with app.run_test(size=SIZE) as pilot:
        await open_claims(pilot)
        await pilot.press("p")
        await pilot.pause()
        app.screen.query_one("#field-paid_on", Input).value = "2025-07-01"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        error = str(app.screen.query_one("#form-error", Static).render())
        assert "before the claim's date, 8 Jul 2025" in error
    assert db(config, "SELECT status FROM claim") == [("approved",)]


async def test_member_form_enter_visits_grade_and_payment(config: Config, store) -> None:
    app = app_for(config)
    async with app.run_test(size=SIZE) as pilot:
        await open_claims(pilot)
        await pilot.press("m")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        await type_text(pilot, "Élodie Smith")
        order = []
        for _ in range(7):
            await pilot.press("enter")
            order.append(focused_id(app))
        assert order == [
            "field-grade",
            "field-payment_preference",
            "field-payment_reference",
            "field-email",
            "field-phone",
            "field-address",
            "field-notes",
        ]
        await type_text(pilot, "prefers email")
        await pilot.press("enter")
        await settle(pilot)
    assert db(config, "SELECT name, notes, payment_preference FROM member") == [
        ("Élodie Smith", "prefers email", "member")
    ]
    who = db(config, "SELECT who FROM audit_entry WHERE entity = 'member'")
    assert who == [("Tess Treasurer",)]


async def test_the_treasurers_name_is_asked_once_and_remembered(config: Config, store) -> None:
    jane = add_member(store)
    claim = add_claim(store, jane, ItemInput("Taxi", amount="4"), submit=True)
    app = app_for(config)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, FormScreen)
        assert "Who are you?" in screen_text(app)
        await type_text(pilot, "Jo Bloggs")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ClaimsScreen)
        await pilot.press("u")  # submit: a change recorded under the name given
        await settle(pilot)
    app = app_for(config)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, ClaimsScreen)  # not asked again
        await pilot.press("a")
        await pilot.pause()
        assert app.screen.query_one("#approver", Input).value == "Jo Bloggs"
    assert claim


async def test_mark_several_and_approve_then_pay_them_in_one_go(config: Config, store) -> None:
    jane = add_member(store)
    bob = add_member(store, "Bob New")
    ids = [
        add_claim(store, jane, ItemInput("Taxi", amount="10"), submit=True),
        add_claim(
            store, bob, ItemInput("Taxi", amount="5.50"), day=DAY.replace(day=9), submit=True
        ),
    ]
    add_claim(store, bob, ItemInput("Taxi", amount="99"), day=DAY.replace(day=10))  # a draft
    app = app_for(config)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_claims(pilot)
        await pilot.press("space", "space", "space")  # marks all three (moving down)
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        intro = str(app.screen.query_one("#form-intro", Static).render())
        assert f"Claim {ids[0]}: Jane Parent" in intro and f"Claim {ids[1]}: Bob New" in intro
        assert "Total £114.50 in 3 claims." in intro
        app.screen.query_one("#field-by", Input).value = "Jo Bloggs"
        await pilot.press("enter")  # one field: Enter approves them all
        await settle(pilot)
        assert isinstance(app.screen, ClaimsScreen)
        for _ in range(3):
            await pilot.press("up")
        await pilot.press("down", "space", "space")  # the two older claims
        await pilot.press("p")
        await pilot.pause()
        intro = str(app.screen.query_one("#form-intro", Static).render())
        assert "Total £15.50 in 2 claims." in intro
        app.screen.query_one("#field-reference", Input).value = "FPS-1"
        await pilot.press("ctrl+s")
        await settle(pilot)
    rows = db(config, "SELECT id, status, approved_by, payment_reference FROM claim ORDER BY id")
    assert rows == [
        (ids[0], "paid", "Jo Bloggs", "FPS-1"),
        (ids[1], "paid", "Jo Bloggs", "FPS-1"),
        (ids[1] + 1, "approved", "Jo Bloggs", ""),
    ]


async def test_claim_form_enter_visits_every_field_and_adds_the_item(config: Config, store) -> None:
    add_member(store)
    app = app_for(config)
    async with app.run_test(size=SIZE) as pilot:
        await open_claims(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert focused_id(app) == "field-member"
        await pilot.press("space")  # open the list; ↓ Enter picks Jane
        await pilot.pause()
        await pilot.press("down", "enter")
        await pilot.pause()
        order = []
        for typed in ("2025-07-08", "", "SEND board", "", "", "", "Bus to County Hall", ""):
            await pilot.press("enter")
            order.append(focused_id(app))
            if typed:
                await type_text(pilot, typed)
        assert order == [
            "field-date",
            "field-event",
            "field-meeting",
            "field-pay_to",
            "field-submit",
            "field-category",
            "field-description",
            "field-amount",
        ]
        await type_text(pilot, "3.20")
        await pilot.press("enter")
        assert focused_id(app) == "field-receipt"
        await pilot.press("space")  # space ticks; Enter on the last field adds the item
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ClaimsScreen)
    assert db(config, "SELECT status, meeting, claim_date FROM claim") == [
        ("submitted", "SEND board", "2025-07-08")
    ]
    assert db(config, "SELECT category, description, amount_pence, receipt FROM claim_item") == [
        ("Public transport", "Bus to County Hall", 320, 1)
    ]


async def test_forget_refused_while_unpaid_and_asks_saying_what_is_kept(
    config: Config, store
) -> None:
    from sendtui.tui.screens.confirm import ConfirmScreen
    from sendtui.tui.screens.members import MembersScreen

    jane = add_member(store)
    add_member(store, "Bob New")
    add_claim(store, jane, ItemInput("Taxi", amount="4"), submit=True)
    app = app_for(config)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_claims(pilot)
        await pilot.press("m")
        await settle(pilot)
        await pilot.press("down")  # Jane Parent (names in order: Bob New, Jane Parent)
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, MembersScreen)  # refused: nothing asked
        assert "not paid yet" in screen_text(app)
        await pilot.press("up", "f")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "Kept" in " ".join(screen_text(app).split())
        await pilot.press("y")
        await settle(pilot)
    names = [n for (n,) in db(config, "SELECT name FROM member ORDER BY id")]
    assert names[0] == "Jane Parent" and names[1].startswith("Former member")


async def test_rejecting_an_earlier_journey_tells_which_claims_were_repriced(
    config: Config, store
) -> None:
    jane = add_member(store)
    miles = [ItemInput("Car mileage", miles="2000") for _ in range(5)]  # the 10,000 miles
    earlier = add_claim(store, jane, *miles, day=DAY.replace(month=5), submit=True)
    later = add_claim(store, jane, ItemInput("Car mileage", miles="10"), submit=True)
    assert db(config, "SELECT amount_pence FROM claim_item WHERE claim_id = ?", later) == [(250,)]
    app = app_for(config)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_claims(pilot)
        table = screen.query_one("#claims")
        table.move_cursor(row=table.get_row_index(str(earlier)))  # type: ignore[attr-defined]
        await pilot.press("r")
        await pilot.pause()
        await type_text(pilot, "Not forum business")
        await pilot.press("ctrl+s")
        await settle(pilot)
        said = " ".join(n.message for n in app._notifications)  # what the treasurer is told
        assert f"Claim {earlier} rejected. Re-priced at the 10,000-mile line" in said
        assert f"claim {later}: £2.50 → £4.50" in said
    assert db(config, "SELECT amount_pence FROM claim_item WHERE claim_id = ?", later) == [(450,)]
    actions = db(
        config, "SELECT who, action FROM audit_entry WHERE entity_id = ? ORDER BY id", later
    )
    assert actions[-1] == ("Tess Treasurer", "re-price claim")
