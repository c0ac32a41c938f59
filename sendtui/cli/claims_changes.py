"""`sendtui claims submit|approve|reject|pay|import` and `sendtui members`: the commands that
change claims and members (registered by sendtui/cli/claims.py).

Each change is recorded in the audit trail under `--as NAME` (default: config.toml [claims]
treasurer, else the name given the first time). Several claims (`claims approve 9 8 10`) are
each tried: every one is reported, and the command exits 1 if any was refused.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.text import Text

from sendtui.cli.claims import _date, _money, _open, _rules, _table, _text, _who
from sendtui.config import Config
from sendtui.errors import SendtuiError
from sendtui.text import neutralise_cell, printable

if TYPE_CHECKING:
    from sendtui.services.claims.workflow import ClaimService

    Action = Callable[[ClaimService, int], None]


def cmd_import(args: argparse.Namespace, config: Config) -> int:
    from sendtui.services.claims.csv_import import import_claims
    from sendtui.services.claims.pricing import describe_changes

    store = _open(config)
    try:
        result = import_claims(
            store, _rules(config), args.file, who=_who(args, config), draft=args.draft
        )
    finally:
        store.close()
    print(printable(result.summary()))
    for warning in result.warnings:
        print(printable(warning), file=sys.stderr)
    if result.repriced:
        print(printable(describe_changes(result.repriced)))
    return 0


def _each(args: argparse.Namespace, config: Config, act: Action) -> int:
    """Run `act(service, claim_id)` for every claim, whatever happens to the others: each is
    reported (and any claims it re-priced); 1 if any was refused."""
    from sendtui.services.claims.pricing import describe_changes
    from sendtui.services.claims.workflow import ClaimService

    failed = 0
    store = _open(config)
    try:
        service = ClaimService(store, _rules(config), who=_who(args, config))
        for claim_id in args.claims:
            try:
                act(service, claim_id)
            except SendtuiError as exc:
                failed += 1
                print(printable(f"Claim {claim_id}: not done: {exc.message}"), file=sys.stderr)
                continue
            if service.repriced:
                print(printable(describe_changes(service.repriced)))
    finally:
        store.close()
    if failed and len(args.claims) > 1:
        done = len(args.claims) - failed
        print(f"{done} of {len(args.claims)} claims done; {failed} refused.", file=sys.stderr)
    return 1 if failed else 0


def cmd_submit(args: argparse.Namespace, config: Config) -> int:
    def act(service: ClaimService, claim_id: int) -> None:
        service.submit(claim_id)
        print(f"Claim {claim_id} submitted.")

    return _each(args, config, act)


def cmd_approve(args: argparse.Namespace, config: Config) -> int:
    from sendtui.services.claims.flags import claim_flags

    def act(service: ClaimService, claim_id: int) -> None:
        for flag in claim_flags(service.store.reader, service.rules, [claim_id]).get(claim_id, []):
            print(printable(f"Claim {claim_id}: ⚑ {flag.message}"), file=sys.stderr)
        service.approve(claim_id, pay_to="forum" if args.pay_forum else None)
        print(printable(f"Claim {claim_id} approved by {service.who}."))

    return _each(args, config, act)


def cmd_reject(args: argparse.Namespace, config: Config) -> int:
    args.claims = [args.claim]

    def act(service: ClaimService, claim_id: int) -> None:
        service.reject(claim_id, args.reason)
        print(f"Claim {claim_id} rejected.")

    return _each(args, config, act)


def cmd_pay(args: argparse.Namespace, config: Config) -> int:
    paid_on = _date(args.date) or dt.date.today()

    def act(service: ClaimService, claim_id: int) -> None:
        service.pay(claim_id, paid_on=paid_on, method=args.method, reference=args.reference)
        print(f"Claim {claim_id} paid on {paid_on.isoformat()}.")

    return _each(args, config, act)


def cmd_members_list(args: argparse.Namespace, config: Config) -> int:
    from sendtui.services.claims.queries import member_rows
    from sendtui.services.claims.reports import csv_text
    from sendtui.services.money import format_pence

    store = _open(config)
    try:
        rows = member_rows(store.reader)
    finally:
        store.close()
    if args.format == "csv":
        sys.stdout.write(
            csv_text(
                ["member", "grade", "pay_to", "email", "phone", "claims", "amount"],
                [
                    [
                        neutralise_cell(r.name),
                        neutralise_cell(r.grade),
                        r.payment_preference,
                        neutralise_cell(r.email),
                        neutralise_cell(r.phone),
                        str(r.claims),
                        format_pence(r.total_pence, symbol=False),
                    ]
                    for r in rows
                ],
            )
        )
        return 0
    from rich.console import Console  # only when printing: it is slow to load

    console = Console()
    if not rows:
        console.print("No members yet: `sendtui members add NAME`, or import claims.", markup=False)
        return 0
    table = _table(
        [
            ("Id", "right"),
            ("Name", "left"),
            ("Grade", "left"),
            ("Pay to", "left"),
            ("Claims", "right"),
            ("Amount", "right"),
            ("Last claim", "left"),
        ]
    )
    for r in rows:
        table.add_row(
            Text(str(r.id)),
            _text(r.name),
            _text(r.grade),
            Text(r.payment_preference),
            Text(str(r.claims)),
            _money(r.total_pence),
            Text(r.last_claim.isoformat() if r.last_claim else "—"),
        )
    console.print(table)
    return 0


def cmd_members_add(args: argparse.Namespace, config: Config) -> int:
    from sendtui.services.claims.members import MemberInput, MemberService

    store = _open(config)
    try:
        member = MemberService(store, _rules(config), who=_who(args, config)).add(
            MemberInput(
                args.name,
                email=args.email,
                phone=args.phone,
                address=args.address,
                grade=args.grade,
                payment_preference=args.pay_to,
                payment_reference=args.reference,
            )
        )
    finally:
        store.close()
    print(f"Added member {member.id}.")
    return 0


def cmd_members_forget(args: argparse.Namespace, config: Config) -> int:
    from sendtui.errors import InputError
    from sendtui.services.claims.members import MemberService

    store = _open(config)
    try:
        service = MemberService(store, _rules(config), who=_who(args, config))
        # Refused (unpaid claims, retention period) before anything is asked.
        print(printable(service.check_forget(args.name)))
        if not args.yes:
            if not sys.stdin.isatty():
                raise InputError("Nothing was removed: add --yes to confirm.")
            answer = input("Remove these details for good? Type yes to confirm: ")
            if answer.strip().lower() not in ("yes", "y"):
                print("Nothing was removed.")
                return 1
        member = service.forget(args.name)
    finally:
        store.close()
    print(
        f"Removed the personal details of member {member.id}; their claims' dates, "
        "amounts, approvals and payments are kept."
    )
    return 0
