"""Attendance, apologies and actions in the minutes (md, html, docx) and the data (xlsx)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sendtui.exporters import write_file
from sendtui.exporters.minutes import collect_minutes
from sendtui.models.kinds import Kind
from sendtui.services.attendance import AttendanceService
from sendtui.services.points import PointEditor
from sendtui.services.syntax import ParsedPoint
from tests.conftest import MARKUP


@pytest.fixture
def recorded(store, event: dict[str, int]) -> int:
    """An event with attendees, apologies, a recorded action and two action points (one
    private)."""
    service, eid = AttendanceService(store), event["event"]
    service.add_attendee(eid, name="Ann Smith", organisation="Oak School", role="parent carer",
                         level="co-production")  # fmt: skip
    service.add_attendee(eid, role="parent carer", level="consultation", count=12)
    service.add_attendee(eid, organisation=MARKUP, role="council", level="information", count=2)
    service.add_apology(eid, name="Bo Jones", organisation="=cmd|' /C calc'!A0")
    service.add_action(eid, what="Send the draft <b>now</b>", who="Ann", due="2024-04-01")
    editor = PointEditor(store, eid)
    place = {"group_id": event["group"], "topic_id": event["topic"]}
    editor.add(ParsedPoint("Forum to survey parents", kind=Kind.ACTION), **place)
    secret = editor.add(ParsedPoint("Ring J.'s school", kind=Kind.ACTION), **place)
    editor.set_private([secret], True)
    return eid


def export(store, eid: int, path: Path, fmt: str, **options) -> Path:
    return write_file(store, eid, path, fmt, forum_name="Anytown PCF", **options)


def test_minutes_data_hold_attendance_apologies_and_actions(store, recorded: int) -> None:
    minutes = collect_minutes(store, recorded)
    assert minutes.attendance.total == 15
    assert minutes.present == [
        "Ann Smith (Oak School): parent carer, co-production",
        f"{MARKUP} ×2: council, information",
    ]
    assert [a.label for a in minutes.apologies] == ["Bo Jones (=cmd|' /C calc'!A0)"]
    assert minutes.action_lines() == [
        ("Send the draft <b>now</b>", "Ann", "1 April 2024", ""),
        ("Forum to survey parents", "", "", ""),
    ]
    everything = collect_minutes(store, recorded, include_private=True)
    assert everything.action_lines()[-1] == ("Ring J.'s school (private)", "", "", "")


def test_markdown_minutes(store, recorded: int, tmp_path: Path) -> None:
    text = export(store, recorded, tmp_path / "m.md", "md").read_text(encoding="utf-8")
    assert "## Attendance\n\n| Role | Information | Consultation | Co-production | Total |" in text
    assert "| Parent carer | 0 | 12 | 1 | 13 |" in text and "| Total | 2 | 12 | 1 | 15 |" in text
    assert "- Ann Smith (Oak School): parent carer, co-production" in text
    assert "## Apologies\n\n- Bo Jones (=cmd\\|' /C calc'!A0)" in text
    assert "## Actions\n\n| Action | Who | By when | Done |" in text
    assert "| Send the draft \\<b\\>now\\</b\\> | Ann | 1 April 2024 |  |" in text
    assert "| Forum to survey parents |  |  |  |" in text and "Ring J." not in text
    assert text.index("## Attendance") < text.index("## Feedback from discussion groups")
    assert text.index("## Questions raised") < text.index("## Actions")


def test_html_minutes_escape_everything(store, recorded: int, tmp_path: Path) -> None:
    page = export(store, recorded, tmp_path / "m.html", "html").read_text(encoding="utf-8")
    assert "<h2>Attendance</h2>" in page and "<h2>Apologies</h2>" in page
    assert '<td>Parent carer</td><td class="number">0</td><td class="number">12</td>' in page
    assert "<td>Send the draft &lt;b&gt;now&lt;/b&gt;</td><td>Ann</td><td>1 April 2024</td>" in page
    assert "<b>now</b>" not in page and "[@click=app.quit]x[/] [bold]y ×2" in page


def test_word_minutes_tables_keep_rows_whole(store, recorded: int, tmp_path: Path) -> None:
    from docx import Document

    document = Document(str(export(store, recorded, tmp_path / "m.docx", "docx")))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings.index("Attendance") < headings.index("Apologies") < headings.index("Actions")
    attendance, _breakdown, actions = document.tables
    rows = [[c.text for c in row.cells] for row in attendance.rows]
    assert rows[0] == ["Role", "Information", "Consultation", "Co-production", "Total"]
    assert rows[-1] == ["Total", "2", "12", "1", "15"]
    assert [[c.text for c in row.cells] for row in actions.rows][1] == [
        "Send the draft <b>now</b>", "Ann", "1 April 2024", "",
    ]  # fmt: skip
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    for table in (attendance, actions):
        assert all(row._tr.trPr.find(f"{w}cantSplit") is not None for row in table.rows)


def test_xlsx_carries_attendance_apologies_and_actions(
    store, recorded: int, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    book = load_workbook(export(store, recorded, tmp_path / "d.xlsx", "xlsx"))
    assert book.sheetnames == ["Points", "Chapters", "Matrix", "Attendance", "Apologies", "Actions"]
    people = [[c.value for c in row] for row in book["Attendance"].iter_rows()]
    assert people[1] == ["Ann Smith", "Oak School", "parent carer", "co-production", 1]
    assert ["Total", 2, 12, 1, 15] in people
    (_, apology) = [[c.value for c in row] for row in book["Apologies"].iter_rows()]
    assert apology == ["Bo Jones", "=cmd|' /C calc'!A0"]  # text, never a formula
    assert book["Apologies"]["B2"].data_type == "s"
    actions = [[c.value for c in row] for row in book["Actions"].iter_rows()]
    assert actions[1][:3] == ["Send the draft <b>now</b>", "Ann", dt.datetime(2024, 4, 1)]
    assert actions[2][0] == "Forum to survey parents" and isinstance(actions[2][4], int)
    assert len(actions) == 3  # the private action point is left out, as its point is
    with_private = load_workbook(
        export(store, recorded, tmp_path / "p.xlsx", "xlsx", include_private=True)
    )
    assert with_private["Actions"].max_row == 4


def test_events_without_attendance_have_no_such_sections(
    store, event: dict[str, int], tmp_path: Path
) -> None:
    text = export(store, event["event"], tmp_path / "m.md", "md").read_text(encoding="utf-8")
    assert "## Attendance" not in text and "## Apologies" not in text and "## Actions" not in text


def test_removed_records_are_in_no_minutes_or_data(store, recorded: int, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from sendtui.services.attendance import read_actions, read_apologies, read_attendees

    service, conn = AttendanceService(store), store.reader
    twelve = next(a for a in read_attendees(conn, recorded) if a.count == 12)
    service.remove_attendee(twelve.id)
    service.remove_apology(read_apologies(conn, recorded)[0].id)
    service.remove_action(read_actions(conn, recorded)[0].id)
    minutes = collect_minutes(store, recorded)
    assert minutes.attendance.total == 3 and minutes.apologies == ()
    assert [line[0] for line in minutes.action_lines()] == ["Forum to survey parents"]
    text = export(store, recorded, tmp_path / "m.md", "md").read_text(encoding="utf-8")
    assert "| Total | 2 | 1 | 3 |" in text and "Bo Jones" not in text
    assert "Send the draft" not in text
    book = load_workbook(export(store, recorded, tmp_path / "d.xlsx", "xlsx"))
    assert book["Apologies"].max_row == 1 and book["Actions"].max_row == 2
    assert ["Total", 2, 1, 3, None] in [
        [c.value for c in row] for row in book["Attendance"].iter_rows()
    ]
