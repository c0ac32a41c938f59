"""`sendtui claims show|report|batch|form`: the commands that read claims (registered by
sendtui/cli/claims.py). User text goes to the terminal through `printable`."""

from __future__ import annotations

import argparse
import io
import sys
from typing import Any

from rich.text import Text

from sendtui.cli.claims import _date, _emit, _money, _open, _reader_name, _rules, _table, _text
from sendtui.config import Config


def cmd_show(args: argparse.Namespace, config: Config) -> int:
    from sendtui.services.claims import audit, history
    from sendtui.services.claims.flags import claim_flags
    from sendtui.services.claims.workflow import ClaimService

    store = _open(config)
    rules = _rules(config)
    try:
        detail = ClaimService(store, rules, who=_reader_name(args, config)).get(args.claim)
        flags = claim_flags(store.reader, rules, [detail.id]).get(detail.id, [])
        trail = audit.history(store.reader, "claim", detail.id)
    finally:
        store.close()
    from rich.console import Console  # only when printing: it is slow to load

    console = Console()
    # Where it stands first: what a committee member asks before anything else.
    console.print(_text(f"Claim {detail.id}: {history.summary(detail)}", style="bold"))
    console.print(
        _text(
            f"{detail.member_name} · {history.long_day(detail.claim_date)} · {detail.where} · "
            f"{detail.status} · pay to {detail.pay_to}"
        )
    )
    table = _table(
        [("Category", "left"), ("Details", "left"), ("Receipt", "left"), ("Amount", "right")]
    )
    for item in detail.items:
        details = "\n".join(x for x in (item.description, item.working) if x)
        receipt = ("yes" if item.receipt else "no") if item.kind in ("amount", "care") else "—"
        table.add_row(
            _text(item.category), _text(details), Text(receipt), _money(item.amount_pence)
        )
    table.add_row(Text("Total", style="bold"), Text(""), Text(""), _money(detail.total_pence))
    console.print(table)
    for flag in flags:
        console.print(_text(f"⚑ {flag.message}"))
    if trail:
        console.print(Text("History", style="bold"))
    for entry in trail:
        console.print(_text(f"  {history.describe(entry)}"))
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
    columns = [
        (BY_TITLES[report.by], "left"),
        ("Claims", "right"),
        ("Items", "right"),
        ("Amount", "right"),
        ("To members", "right"),
        ("To the forum", "right"),
    ]
    declined = report.has_declined
    if declined:
        columns.append(("Declined", "right"))
    table = _table(columns)

    def money(split: Any) -> list[Text]:
        cells = [_money(split.to_member), _money(split.to_forum)]
        return cells + ([_money(split.declined)] if declined else [])

    for row in report.rows:
        table.add_row(
            _text(row.label),
            Text(str(row.claims)),
            Text(str(row.items)),
            _money(row.total_pence),
            *money(row.split),
        )
    table.add_row(
        Text("Total", style="bold"),
        Text(str(report.claims)),
        Text(str(report.items)),
        _money(report.total_pence),
        *money(report.split),
    )
    from rich.console import Console  # only when printing: it is slow to load

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
        batch = payment_batch(store.reader)
    finally:
        store.close()
    _emit(batch_csv(batch), args.output, private=True)
    print(
        f"{len(batch.rows)} payees, {format_pence(batch.total_pence)} in "
        f"{len(batch.claim_ids)} claims.",
        file=sys.stderr,
    )
    for note in batch.notes():
        print(note, file=sys.stderr)
    return 0


def cmd_form(args: argparse.Namespace, config: Config) -> int:
    from sendtui.exporters.claim_form import write_claim_form
    from sendtui.services.claims.workflow import ClaimService

    store = _open(config)
    try:
        detail = ClaimService(store, _rules(config), who=_reader_name(args, config)).get(args.claim)
    finally:
        store.close()
    write_claim_form(detail, args.output, forum=config.forum.name)
    print(f"Wrote {args.output}", file=sys.stderr)
    return 0
