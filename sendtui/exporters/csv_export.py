"""The points as data: one row per point, for a spreadsheet (CSV here; xlsx.py shares the
rows). Each row says where the point was made, what kind it is, its chapters (codes and
titles), markers, section reference, note-taker and time (ISO 8601, UTC).

A cell a spreadsheet would run as a formula (starting = + - @, a tab or a line break, after
any leading spaces or line breaks) gets a leading single quote (sendtui.text.neutralise_cell),
so opening the file never runs anything.

    write_csv(point_rows(store.reader, event_id), path)
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from pathlib import Path

from sendtui.exporters import Steps
from sendtui.exporters.records import (
    PointRecord,
    event_details,
    iso_utc,
    load_points,
    scheme_chapters,
)
from sendtui.models.kinds import KIND_LABELS
from sendtui.store.db import Db
from sendtui.text import SUSPECT_STARTS, neutralise_cell

HEADER = (
    "No.", "Event", "Group", "Topic", "Heading", "Sub-point of", "Kind", "Text", "Chapters",
    "Chapter titles", "Markers", "Section reference", "Private", "Note-taker", "Time (UTC)",
)  # fmt: skip
_RISKY = SUSPECT_STARTS  # first characters after which a cell may run as a formula
_KINDS = {k.value: label for k, label in KIND_LABELS.items()}
Row = list[str | int]


def ordered(conn: Db, event_id: int, records: list[PointRecord], by: str) -> list[PointRecord]:
    """`records` in the order made (by="group"), or by their first chapter in the scheme's
    order, untagged last, then in the order made (by="chapter")."""
    if by != "chapter":
        return records
    place = {ref: i for i, ref in enumerate(scheme_chapters(conn, event_id).values())}
    last = len(place)
    return sorted(records, key=lambda p: place.get(p.chapters[0], last) if p.chapters else last)


def point_rows(
    conn: Db,
    event_id: int,
    *,
    by: str = "group",
    include_private: bool = False,
    quoted: bool = True,
) -> tuple[list[PointRecord], Iterator[Row]]:
    """The event's points (in the order rows are written) and their rows, without the
    header. With `quoted`, every text cell a spreadsheet would run as a formula (starting
    = + - @, a tab or a carriage return) starts with a single quote ('=1+1); without it,
    cells are plain values (the xlsx writer marks such cells as text instead)."""
    title = event_details(conn, event_id).title
    records = ordered(
        conn, event_id, load_points(conn, event_id, include_private=include_private), by
    )
    return records, _rows(title, records, _RISKY if quoted else frozenset())


def _rows(title: str, records: list[PointRecord], risky: frozenset[str]) -> Iterator[Row]:
    # Names, titles and tag lists repeat from row to row: each is made into cells once.
    cells: dict[object, str | tuple[str, str]] = {}

    def cell(value: str) -> str:
        if value not in cells:
            cells[value] = neutralise_cell(value) if value[:1] in risky else value
        return cells[value]  # type: ignore[return-value]

    def tags(chapters: tuple) -> tuple[str, str]:
        if chapters not in cells:
            codes = "; ".join(c.code for c in chapters)
            cells[chapters] = (codes, cell("; ".join(c.title for c in chapters)))
        return cells[chapters]  # type: ignore[return-value]

    kinds, title = _KINDS, cell(title)
    for p in records:
        text = neutralise_cell(p.text) if p.text[:1] in risky else p.text
        codes, titles = tags(p.chapters)
        yield [
            p.number, title, cell(p.group), cell(p.topic), cell(p.heading), p.parent or "",
            kinds.get(p.kind) or p.kind.capitalize(), text, codes, titles,
            "; ".join(p.markers), cell(p.section_ref), "yes" if p.private else "",
            cell(p.note_taker), iso_utc(p.created_at),
        ]  # fmt: skip


def write_csv(rows: Iterator[Row], total: int, path: Path, steps: Steps | None = None) -> None:
    """Write the header and `rows` (there are `total`; from point_rows(quoted=True)) as
    UTF-8 CSV with a byte-order mark, which Excel needs to read beyond ASCII correctly.
    Rows are formatted a thousand at a time into memory and encoded in one go: a text file
    would run its encoder once per row."""
    steps = steps or Steps(None, total)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    with path.open("wb") as handle:
        handle.write(codecs.BOM_UTF8)
        batch: list[Row] = []
        for row in rows:
            batch.append(row)
            if len(batch) == 1000:
                writer.writerows(batch)
                handle.write(buffer.getvalue().encode("utf-8"))
                buffer.seek(0)
                buffer.truncate()
                steps.advance(len(batch))
                batch.clear()
        writer.writerows(batch)
        handle.write(buffer.getvalue().encode("utf-8"))
        steps.advance(len(batch))
