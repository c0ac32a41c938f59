"""`sendtui claims` and `sendtui members`: the treasurer's commands.

Changes are recorded in the audit trail under `--as NAME` (default: config.toml [claims]
treasurer, else the name given the first time, asked at a terminal and remembered in the
database; never the login name). Output that names members goes to the terminal (through
`sendtui.text.printable`, so no name can send control sequences) or to a private (0600)
file, never to a log.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text

from sendtui.config import Config
from sendtui.text import neutralise_cell, printable

if TYPE_CHECKING:  # the commands import these when run, keeping `sendtui --help` quick
    from rich.table import Table

    from sendtui.services.claims.rules import ClaimRules
    from sendtui.store.store import Store


BY_CHOICES = ("member", "event", "category", "month", "year")


ORDER = 40  # where the command sits in `sendtui --help`


def register(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add this module's commands to the parser."""
    from sendtui.cli.claims_changes import (
        cmd_approve,
        cmd_import,
        cmd_members_add,
        cmd_members_forget,
        cmd_members_list,
        cmd_pay,
        cmd_reject,
        cmd_submit,
    )
    from sendtui.cli.claims_reading import cmd_batch, cmd_form, cmd_report, cmd_show

    by = argparse.ArgumentParser(add_help=False)
    by.add_argument(
        "--as",
        dest="who",
        metavar="NAME",
        help="who is making the change, for the audit trail "
        "(default: config.toml [claims] treasurer)",
    )

    claims = commands.add_parser("claims", parents=[common], help="expenses and remuneration")
    sub = claims.add_subparsers(dest="claims_command", metavar="COMMAND", required=True)

    listing = sub.add_parser(
        "list", parents=[common], help="list claims (rejected ones only with --status)"
    )
    _filters(listing)
    listing.add_argument("--format", choices=["table", "csv"], default="table")
    listing.set_defaults(handler=cmd_list)

    show = sub.add_parser("show", parents=[common], help="one claim: items, flags, history")
    show.add_argument("claim", type=int, metavar="CLAIM_ID")
    show.set_defaults(handler=cmd_show)

    report = sub.add_parser("report", parents=[common], help="totals by member, event, …")
    report.add_argument("--by", dest="report_by", choices=BY_CHOICES, required=True)
    report.add_argument(
        "--status",
        metavar="S",
        help="statuses, comma-separated, or all (default: submitted,approved,paid)",
    )
    report.add_argument("--from", dest="start", metavar="DATE", help="claims dated from DATE")
    report.add_argument("--to", dest="end", metavar="DATE", help="claims dated up to DATE")
    report.add_argument("--format", choices=["table", "csv"], default="table")
    report.add_argument("-o", "--output", type=Path, metavar="FILE", help="write to FILE")
    report.set_defaults(handler=cmd_report)

    batch = sub.add_parser(
        "batch", parents=[common], help="approved claims to pay, one row per payee"
    )
    batch.add_argument("--format", choices=["csv"], default="csv")
    batch.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="FILE",
        help="file to write, private (default: standard output)",
    )
    batch.set_defaults(handler=cmd_batch)

    imp = sub.add_parser(
        "import", parents=[common, by], help="import claims from a spreadsheet (.csv or .xlsx)"
    )
    imp.add_argument("file", type=Path, metavar="FILE")
    imp.add_argument(
        "--draft", action="store_true", help="import as drafts (default: as submitted)"
    )
    imp.set_defaults(handler=cmd_import)

    form = sub.add_parser("form", parents=[common], help="write a printable claim form")
    form.add_argument("claim", type=int, metavar="CLAIM_ID")
    form.add_argument("-o", "--output", type=Path, metavar="FILE.docx|FILE.pdf", required=True)
    form.set_defaults(handler=cmd_form)

    submit = sub.add_parser("submit", parents=[common, by], help="submit draft claims")
    submit.add_argument("claims", type=int, nargs="+", metavar="CLAIM_ID")
    submit.set_defaults(handler=cmd_submit)

    approve = sub.add_parser(
        "approve", parents=[common, by], help="approve claims (flags are shown first)"
    )
    approve.add_argument("claims", type=int, nargs="+", metavar="CLAIM_ID")
    approve.add_argument("--pay-forum", action="store_true", help="pay the forum instead")
    approve.set_defaults(handler=cmd_approve)

    reject = sub.add_parser("reject", parents=[common, by], help="reject a claim")
    reject.add_argument("claim", type=int, metavar="CLAIM_ID")
    reject.add_argument("--reason", required=True, help="why (the member is told)")
    reject.set_defaults(handler=cmd_reject)

    pay = sub.add_parser("pay", parents=[common, by], help="mark approved claims paid")
    pay.add_argument("claims", type=int, nargs="+", metavar="CLAIM_ID")
    pay.add_argument("--method", required=True, help="as in config.toml payment_methods")
    pay.add_argument("--reference", default="", help="the bank's or cheque's reference")
    pay.add_argument("--date", metavar="DATE", help="the day paid (default: today)")
    pay.set_defaults(handler=cmd_pay)

    members = commands.add_parser("members", parents=[common], help="people who claim")
    msub = members.add_subparsers(dest="members_command", metavar="COMMAND", required=True)
    mlist = msub.add_parser("list", parents=[common], help="list members")
    mlist.add_argument("--format", choices=["table", "csv"], default="table")
    mlist.set_defaults(handler=cmd_members_list)
    madd = msub.add_parser("add", parents=[common, by], help="add a member")
    madd.add_argument("name")
    for option in ("grade", "email", "phone", "address", "reference"):
        madd.add_argument(f"--{option}", default="")
    madd.add_argument("--pay-to", default="member", choices=["member", "forum", "declined"])
    madd.set_defaults(handler=cmd_members_add)
    forget = msub.add_parser(
        "forget",
        parents=[common, by],
        help="remove a member's personal details after the retention period",
    )
    forget.add_argument("name", metavar="NAME", help="the member's exact name")
    forget.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    forget.set_defaults(handler=cmd_members_forget)


def _filters(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--status", metavar="S", help="statuses, comma-separated, or all")
    parser.add_argument("--member", metavar="NAME")
    parser.add_argument("--event", metavar="ID_OR_TITLE")
    parser.add_argument("--from", dest="start", metavar="DATE")
    parser.add_argument("--to", dest="end", metavar="DATE")


def _open(config: Config) -> Store:
    from sendtui.services.bootstrap import open_store

    return open_store(config).store


def _rules(config: Config) -> ClaimRules:
    from sendtui.services.claims.rules import ClaimRules

    return ClaimRules(config.claims)


def _who(args: argparse.Namespace, config: Config) -> str:
    """Who a change is recorded as: --as, config.toml's treasurer, the name given before in
    this database, or (at a terminal) asked now and remembered."""
    from sendtui.errors import InputError
    from sendtui.services.claims import treasurer

    named = getattr(args, "who", None) or config.claims.acting_name
    if named:
        return named
    path = config.database_path
    remembered = treasurer.remembered_name(path)
    if remembered:
        return remembered
    if not sys.stdin.isatty():
        raise InputError(
            "Say who is making this change, for the audit trail: --as NAME, or set "
            "[claims] treasurer in config.toml."
        )
    answer = input("Your name, for the audit trail (remembered in this database): ")
    return treasurer.remember_name(path, answer)


def _reader_name(args: argparse.Namespace, config: Config) -> str:
    """A name for read-only commands (nothing is recorded)."""
    return getattr(args, "who", None) or config.claims.acting_name or "reader"


def _text(value: str, **style: str) -> Text:
    """User text for the terminal: control characters shown, never sent."""
    return Text(printable(value), **style)  # type: ignore[arg-type]


def _date(text: str | None) -> dt.date | None:
    from sendtui.services.claims.items import parse_claim_date

    return parse_claim_date(text) if text else None


def _money(pence: int) -> Text:
    from sendtui.services.money import format_pence

    return Text(format_pence(pence), justify="right")


def _table(columns: Sequence[tuple[str, str]]) -> Table:
    from rich.table import Table

    table = Table(box=None)
    for name, justify in columns:
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    return table


def _emit(text: str, output: Path | None, *, private: bool) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    from sendtui.exporters.files import write_text

    write_text(output, text, private=private)
    print(f"Wrote {output}", file=sys.stderr)


def cmd_list(args: argparse.Namespace, config: Config) -> int:
    from sendtui.services.claims.queries import claim_rows
    from sendtui.services.claims.reports import ALL_STATUSES, counted, csv_text, parse_statuses
    from sendtui.services.money import format_pence

    store = _open(config)
    try:
        # Rejected claims are kept but not counted, unless asked for (--status all).
        listed = parse_statuses(args.status) if args.status else LIST_STATUSES
        statuses = ALL_STATUSES if listed == ("all",) else listed
        member_id = _member_id(store, args.member) if args.member else None
        event_id = _event_id(store, args.event) if args.event else None
        rows = claim_rows(
            store.reader,
            statuses=statuses,
            member_id=member_id,
            event_id=event_id,
            start=_date(args.start),
            end=_date(args.end),
        )
    finally:
        store.close()
    total = sum(r.total_pence for r in rows)
    what = counted(statuses)
    if args.format == "csv":
        lines = [
            [
                str(r.id),
                r.claim_date.isoformat(),
                neutralise_cell(r.member),
                neutralise_cell(r.where),
                r.status,
                r.pay_to,
                format_pence(r.total_pence, symbol=False),
            ]
            for r in rows
        ]
        lines.append([f"Total ({what})", "", "", "", "", "", format_pence(total, symbol=False)])
        sys.stdout.write(
            csv_text(
                ["claim", "date", "member", "event_or_meeting", "status", "pay_to", "amount"], lines
            )
        )
        return 0
    from rich.console import Console  # only when printing: it is slow to load

    console = Console()
    if not rows:
        console.print(f"No claims match ({what}).", markup=False)
        return 0
    table = _table(
        [
            ("No.", "right"),
            ("Date", "left"),
            ("Member", "left"),
            ("Event or meeting", "left"),
            ("Status", "left"),
            ("Amount", "right"),
        ]
    )
    for r in rows:
        table.add_row(
            Text(str(r.id)),
            Text(r.claim_date.isoformat()),
            _text(r.member),
            _text(r.where),
            Text(r.status),
            _money(r.total_pence),
        )
    table.add_row(
        Text("Total", style="bold"),
        Text(""),
        Text(f"{len(rows)} claims"),
        Text(""),
        Text(""),
        _money(total),
    )
    console.print(table)
    console.print(f"Counted: {what}.", markup=False)
    return 0


LIST_STATUSES = ("draft", "submitted", "approved", "paid")


def _member_id(store: Store, name: str) -> int:
    from sendtui.services.claims.members import find_member

    with store.session() as s:
        member = find_member(s, name)
    assert member.id is not None
    return member.id


def _event_id(store: Store, key: str) -> int:
    from sendtui.services.events import EventService

    event = EventService(store).find(key)
    assert event.id is not None
    return event.id
