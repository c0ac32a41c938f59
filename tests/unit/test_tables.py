"""Report tables: seed 000's breakdown reproduced exactly (golden), CSV, Markdown and rich
output, literal text everywhere, spreadsheet formulas neutralised."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from rich.console import Console
from rich.text import Text

from sendtui.exporters.tables import (
    breakdown_table,
    crosstab_table,
    markdown_escape,
    neutralise,
    to_csv,
    to_markdown,
)
from sendtui.services import reports
from sendtui.services.events import EventService
from sendtui.services.points import PointEditor
from sendtui.services.syntax import ParsedPoint
from tests.conftest import MARKUP
from tests.unit.test_reports import build_seed_event

# Seed 000 lines 190-199, byte for byte (tab-separated, as the coordinator pasted it).
SEED_TABLE = (
    "\tDescription\tCount\tPercentage\n"
    "0\tGeneral\t30\t5.17%\n"
    "1\tIntroduction\t18\t3.10%\n"
    "2\tA Family Centred System\t34\t5.86%\n"
    "3\tEducation, Health and Care: Integration, Joint Commissioning and Co-Operation\t85\t14.66%\n"
    "4\tThe Local Offer\t83\t14.31%\n"
    "5\tEarly Years, Schools, Colleges and Other Providers\t101\t17.41%\n"
    "6\tAssessments and Education, Health and Care Plans\t182\t31.38%\n"
    "7\tResolving Disputes\t47\t8.10%\n"
    "\tTotal\t580\t100.00%\n"
)

SEED_CSV = (
    ",Description,Count,Percentage\n"
    "0,General,30,5.17%\n"
    "1,Introduction,18,3.10%\n"
    "2,A Family Centred System,34,5.86%\n"
    '3,"Education, Health and Care: Integration, Joint Commissioning and Co-Operation",85,14.66%\n'
    "4,The Local Offer,83,14.31%\n"
    '5,"Early Years, Schools, Colleges and Other Providers",101,17.41%\n'
    '6,"Assessments and Education, Health and Care Plans",182,31.38%\n'
    "7,Resolving Disputes,47,8.10%\n"
    ",Total,580,100.00%\n"
)

SEED_MARKDOWN = (
    "|  | Description | Count | Percentage |\n"
    "| --- | --- | ---: | ---: |\n"
    "| 0 | General | 30 | 5.17% |\n"
    "| 1 | Introduction | 18 | 3.10% |\n"
    "| 2 | A Family Centred System | 34 | 5.86% |\n"
    "| 3 | Education, Health and Care: Integration, Joint Commissioning and Co-Operation | 85 "
    "| 14.66% |\n"
    "| 4 | The Local Offer | 83 | 14.31% |\n"
    "| 5 | Early Years, Schools, Colleges and Other Providers | 101 | 17.41% |\n"
    "| 6 | Assessments and Education, Health and Care Plans | 182 | 31.38% |\n"
    "| 7 | Resolving Disputes | 47 | 8.10% |\n"
    "|  | Total | 580 | 100.00% |\n"
)


@pytest.fixture
def seed_table(opened, tmp_path: Path, config) -> reports.Breakdown:
    event_id = build_seed_event(opened, tmp_path, config.capture)
    return reports.chapter_breakdown(
        opened.store.reader, event_id, kind="concern", include_private=False
    )


def render(renderable) -> str:
    console = Console(file=io.StringIO(), width=200, no_color=True)
    console.print(renderable)
    return console.file.getvalue()  # type: ignore[attr-defined]


def test_tab_separated_output_is_seed_000_byte_for_byte(seed_table) -> None:
    assert to_csv(seed_table, delimiter="\t") == SEED_TABLE


def test_csv_has_a_header_one_row_per_line_and_total_last(seed_table) -> None:
    text = to_csv(seed_table)
    assert text == SEED_CSV
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["", "Description", "Count", "Percentage"]
    assert rows[-1] == ["", "Total", "580", "100.00%"]
    assert len(rows) == 1 + len(seed_table.rows) + 1


def test_markdown_is_a_table_with_the_total_last(seed_table) -> None:
    assert to_markdown(seed_table) == SEED_MARKDOWN


def test_rich_table_shows_the_seed_numbers(seed_table) -> None:
    table = breakdown_table(seed_table)
    assert isinstance(table.title, Text)
    out = render(table)
    assert "Concerns by chapter" in out
    lines = [line for line in out.splitlines() if "Resolving Disputes" in line or "Total" in line]
    assert "47" in lines[0] and "8.10%" in lines[0]
    assert "580" in lines[1] and "100.00%" in lines[1]


def test_untagged_row_and_notes_in_every_format(store, event) -> None:
    editor = PointEditor(store, event["event"])
    place = {"group_id": event["group"], "topic_id": event["topic"]}
    editor.add(ParsedPoint("both", chapters=("4", "6")), **place)
    editor.add(ParsedPoint("none"), **place)
    table = reports.chapter_breakdown(store.reader, event["event"])
    assert to_csv(table).splitlines()[-2:] == [",Untagged,1,33.33%", ",Total,3,100.00%"]
    markdown = to_markdown(table)
    assert "|  | Untagged | 1 | 33.33% |" in markdown
    assert markdown.endswith("\n1 point is tagged to more than one chapter and counted in each.\n")
    assert "counted in each" in render(breakdown_table(table))


def test_crosstab_lines(store, event) -> None:
    editor = PointEditor(store, event["event"])
    red = EventService(store).add_group(event["event"], "Red Group")
    editor.add(ParsedPoint("a", chapters=("4",)), group_id=event["group"], topic_id=None)
    editor.add(ParsedPoint("b", chapters=("4",)), group_id=red.id, topic_id=None)
    editor.add(ParsedPoint("c"), group_id=red.id, topic_id=None)
    table = reports.crosstab(store.reader, event["event"], rows="group", cols="chapter")
    rows = list(csv.reader(io.StringIO(to_csv(table))))
    # Group rows have no code, so there is no code column.
    assert rows[0] == ["Group", "0", "1", "2", "3", "4", "5", "6", "7", "Untagged", "Total"]
    assert rows[1] == ["Green Group", "0", "0", "0", "0", "1", "0", "0", "0", "0", "1"]
    assert rows[2] == ["Red Group", "0", "0", "0", "0", "1", "0", "0", "0", "1", "2"]
    assert rows[3] == ["Total", "0", "0", "0", "0", "2", "0", "0", "0", "1", "3"]
    assert to_markdown(table).splitlines()[1] == "| --- |" + " ---: |" * 10
    out = render(crosstab_table(table))
    assert "Points by group and chapter" in out and "Untagged" in out


def test_names_are_literal_and_formulas_neutralised(store, event) -> None:
    events = EventService(store)
    editor = PointEditor(store, event["event"])
    for name in (MARKUP, '=HYPERLINK("http://x")', "-1+2", "@SUM(A1)", "+tel"):
        group = events.add_group(event["event"], name)
        editor.add(ParsedPoint("x"), group_id=group.id, topic_id=None)
    table = reports.group_breakdown(store.reader, event["event"])
    rows = list(csv.reader(io.StringIO(to_csv(table))))
    labels = [row[0] for row in rows[1:-1]]
    assert labels == [
        "Green Group", MARKUP, "'=HYPERLINK(\"http://x\")", "'-1+2", "'@SUM(A1)", "'+tel",
    ]  # fmt: skip
    assert render(breakdown_table(table)).count(MARKUP) == 1
    markdown = to_markdown(table)
    assert "\\[@click=app.quit\\]x\\[/\\] \\[bold\\]y" in markdown


@pytest.mark.parametrize(
    ("value", "expected"),
    [("=1+1", "'=1+1"), ("-x", "'-x"), ("+x", "'+x"), ("@x", "'@x"), ("\tx", "'\tx"),
     ("x=1", "x=1"), ("", ""), (-5, -5), (580, 580), ("100.00%", "100.00%")],
)  # fmt: skip
def test_neutralise(value, expected) -> None:
    assert neutralise(value) == expected


def test_markdown_escape_keeps_text_literal() -> None:
    assert markdown_escape("a | b *c* _d_ `e` <f> [g](h) ~i~ & \\") == (
        "a \\| b \\*c\\* \\_d\\_ \\`e\\` \\<f\\> \\[g\\](h) \\~i\\~ \\& \\\\"
    )
    assert markdown_escape("two\nlines") == "two lines"
