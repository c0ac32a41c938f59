"""`sendtui claims submit|approve|reject|pay|import` and `sendtui members`: the commands that
change claims and members (registered by sendtui/cli/claims.py).

Each change is recorded in the audit trail under `--as NAME` (default: config.toml [claims]
treasurer, else the login name).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.console import Console
from rich.text import Text

from sendtui.cli.claims import _date, _money, _open, _rules, _table, _who
from sendtui.config import Config

if TYPE_CHECKING:
    from sendtui.services.claims.workflow import ClaimService

    Action = Callable[[ClaimService, int], None]


def cmd_import(args: argparse.Namespace, config: Config) -> int:
    from sendtui.services.claims.csv_import import import_claims_csv

    store = _open(config)
    try:
        result = import_claims_csv(store, _rules(config), args.file, who=_who(args, config))
    finally:
        store.close()
    print(result.summary())
    return 0


def _each(args: argparse.Namespace, config: Config, act: Action) -> int:
    """Run `act(service, claim_id)` for each claim; a failure stops there (earlier ones stay)."""
    from sendtui.services.claims.workflow import ClaimService

    store = _open(config)
    try:
        service = ClaimService(store, _rules(config), who=_who(args, config))
        for claim_id in args.claims:
            act(service, claim_id)
    finally:
        store.close()
    return 0


def cmd_submit(args: argparse.Namespace, config: Config) -> int:
    def act(service: ClaimService, claim_id: int) -> None:
        service.submit(claim_id)
        print(f"Claim {claim_id} submitted.")

    return _each(args, config, act)


def cmd_approve(args: argparse.Namespace, config: Config) -> int:
    from sendtui.services.claims.flags import claim_flags

    def act(service: ClaimService, claim_id: int) -> None:
        for flag in claim_flags(service.store.reader, service.rules, [claim_id]).get(claim_id, []):
            print(f"Claim {claim_id}: ⚑ {flag.message}", file=sys.stderr)
        service.approve(claim_id, pay_to="forum" if args.pay_forum else None)
        print(f"Claim {claim_id} approved by {service.who}.")

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
    from sendtui.services.claims.reports import csv_text, safe_cell
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
                        safe_cell(r.name),
                        r.grade,
                        r.payment_preference,
                        safe_cell(r.email),
                        safe_cell(r.phone),
                        str(r.claims),
                        format_pence(r.total_pence, symbol=False),
                    ]
                    for r in rows
                ],
            )
        )
        return 0
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
            Text(r.name),
            Text(r.grade),
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
    from sendtui.services.claims.members import MemberService

    store = _open(config)
    try:
        member = MemberService(store, _rules(config), who=_who(args, config)).forget(args.name)
    finally:
        store.close()
    print(f"Removed the personal details of member {member.id}; their claims' amounts are kept.")
    return 0
