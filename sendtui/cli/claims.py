"""`sendtui claims` and `sendtui members`: the treasurer's commands.

Changes are recorded in the audit trail under `--as NAME` (default: config.toml [claims]
treasurer, else the login name). Output that names members goes to the terminal or to a
private (0600) file, never to a log.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table
from rich.text import Text

from sendtui.config import Config

if TYPE_CHECKING:  # the commands import these when run, keeping `sendtui --help` quick
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

    listing = sub.add_parser("list", parents=[common], help="list claims")
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

    imp = sub.add_parser("import", parents=[common, by], help="import claims from a CSV file")
    imp.add_argument("file", type=Path, metavar="FILE.csv")
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
    return getattr(args, "who", None) or config.claims.acting_name


def _date(text: str | None) -> dt.date | None:
    from sendtui.services.claims.items import parse_claim_date

    return parse_claim_date(text) if text else None


def _money(pence: int) -> Text:
    from sendtui.services.money import format_pence

    return Text(format_pence(pence), justify="right")


def _table(columns: Sequence[tuple[str, str]]) -> Table:
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
    from sendtui.services.claims.reports import ALL_STATUSES, csv_text, parse_statuses, safe_cell
    from sendtui.services.money import format_pence

    store = _open(config)
    try:
        statuses = parse_statuses(args.status) if args.status else ALL_STATUSES
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
    if args.format == "csv":
        lines = [
            [
                str(r.id),
                r.claim_date.isoformat(),
                safe_cell(r.member),
                safe_cell(r.where),
                r.status,
                r.pay_to,
                format_pence(r.total_pence, symbol=False),
            ]
            for r in rows
        ]
        lines.append(["Total", "", "", "", "", "", format_pence(total, symbol=False)])
        sys.stdout.write(
            csv_text(
                ["claim", "date", "member", "event_or_meeting", "status", "pay_to", "amount"], lines
            )
        )
        return 0
    console = Console()
    if not rows:
        console.print("No claims match.", markup=False)
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
            Text(r.member),
            Text(r.where),
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
    return 0


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


def cmd_show(args: argparse.Namespace, config: Config) -> int:
    from sendtui.services.claims import audit
    from sendtui.services.claims.flags import claim_flags
    from sendtui.services.claims.workflow import ClaimService

    store = _open(config)
    rules = _rules(config)
    try:
        detail = ClaimService(store, rules, who=_who(args, config)).get(args.claim)
        flags = claim_flags(store.reader, rules, [detail.id]).get(detail.id, [])
        trail = audit.history(store.reader, "claim", detail.id)
    finally:
        store.close()
    console = Console()
    console.print(
        f"Claim {detail.id} · {detail.member_name} · {detail.claim_date.isoformat()} · "
        f"{detail.where} · {detail.status} · pay to {detail.pay_to}",
        markup=False,
    )
    table = _table(
        [("Category", "left"), ("Details", "left"), ("Receipt", "left"), ("Amount", "right")]
    )
    for item in detail.items:
        details = "\n".join(x for x in (item.description, item.working) if x)
        receipt = ("yes" if item.receipt else "no") if item.kind in ("amount", "care") else "—"
        table.add_row(Text(item.category), Text(details), Text(receipt), _money(item.amount_pence))
    table.add_row(Text("Total", style="bold"), Text(""), Text(""), _money(detail.total_pence))
    console.print(table)
    for flag in flags:
        console.print(f"⚑ {flag.message}", markup=False)
    for entry in trail:
        when = entry.at.astimezone().strftime("%Y-%m-%d %H:%M")
        console.print(f"{when}  {entry.who}: {entry.action} — {entry.summary()}", markup=False)
    return 0


def cmd_report(args: argparse.Namespace, config: Config) -> int:
    from sendtui.services.claims.reports import (
        BY_TITLES,
        claims_report,
        parse_statuses,
        report_csv,
    )

    store = _open(config)
    try:
        report = claims_report(
            store.reader,
            _rules(config),
            args.report_by,
            parse_statuses(args.status),
            start=_date(args.start),
            end=_date(args.end),
        )
    finally:
        store.close()
    if args.format == "csv":
        _emit(report_csv(report), args.output, private=args.report_by == "member")
        return 0
    table = _table(
        [
            (BY_TITLES[report.by], "left"),
            ("Claims", "right"),
            ("Items", "right"),
            ("Amount", "right"),
        ]
    )
    for row in report.rows:
        table.add_row(
            Text(row.label), Text(str(row.claims)), Text(str(row.items)), _money(row.total_pence)
        )
    table.add_row(
        Text("Total", style="bold"),
        Text(str(report.claims)),
        Text(str(report.items)),
        _money(report.total_pence),
    )
    if args.output is not None:
        console = Console(record=True, width=100, file=io.StringIO())
        console.print(report.title, markup=False)
        console.print(table)
        _emit(console.export_text(), args.output, private=args.report_by == "member")
    else:
        console = Console()
        console.print(report.title, markup=False)
        console.print(table)
    return 0


def cmd_batch(args: argparse.Namespace, config: Config) -> int:
    from sendtui.services.claims.batch import batch_csv, payment_batch
    from sendtui.services.money import format_pence

    store = _open(config)
    try:
        batch = payment_batch(store.reader, config.forum.name)
    finally:
        store.close()
    _emit(batch_csv(batch), args.output, private=True)
    print(
        f"{len(batch.rows)} payees, {format_pence(batch.total_pence)} in "
        f"{len(batch.claim_ids)} claims.",
        file=sys.stderr,
    )
    if batch.declined:
        listed = ", ".join(str(i) for i in batch.declined)
        print(f"Not in the batch (the member declines payment): claims {listed}.", file=sys.stderr)
    return 0


def cmd_form(args: argparse.Namespace, config: Config) -> int:
    from sendtui.exporters.claim_form import write_claim_form
    from sendtui.services.claims.workflow import ClaimService

    store = _open(config)
    try:
        detail = ClaimService(store, _rules(config), who=_who(args, config)).get(args.claim)
    finally:
        store.close()
    write_claim_form(detail, args.output, forum=config.forum.name)
    print(f"Wrote {args.output}", file=sys.stderr)
    return 0
