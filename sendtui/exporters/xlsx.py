"""The points as an Excel workbook (openpyxl, write-only mode so 100,000 rows stream out):

- "Points": one row per point, the same columns as the CSV;
- "Chapters": the breakdown by chapter (seed 000's table), percentages as numbers;
- "Matrix": one row per point and a 0/1 column per chapter, for pivot tables;
- "Attendance": who came (name, organisation, role, level, number), then the role × level
  table; "Apologies"; "Actions": what, who, by when, done, and the point it came from.

Text stays text: openpyxl would store a string starting with "=" as a formula and one like
"#N/A" as an error, so such cells are written with their type set to string. Control
characters a workbook cannot hold are shown as �, and text beyond Excel's 32,767 characters
a cell is cut there with a note (the CSV and JSON keep it whole).
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

from sendtui.exporters.csv_export import HEADER, Row
from sendtui.exporters.minutes import Steps
from sendtui.exporters.records import XML_UNSAFE, PointRecord, scheme_chapters
from sendtui.exporters.tables import FORMULA_STARTS
from sendtui.services.attendance import read_actions, read_apologies, read_attendees, tally
from sendtui.services.reports import Breakdown
from sendtui.store.db import Db
from sendtui.text import xml_safe

MAX_CELL = 32_767
CUT = " […cut: the CSV and JSON exports hold the whole text]"
WIDTHS = {"No.": 7, "Event": 24, "Group": 16, "Topic": 24, "Heading": 20, "Kind": 10, "Text": 80,
          "Chapters": 10, "Chapter titles": 30, "Time (UTC)": 21}  # fmt: skip


def write_xlsx(
    conn: Db,
    event_id: int,
    records: list[PointRecord],
    rows: Iterator[Row],
    breakdown: Breakdown,
    path: Path,
    steps: Steps | None = None,
    *,
    include_private: bool = False,
) -> None:
    """Write the sheets to `path`. `records` and `rows` come from point_rows()."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ERROR_CODES
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    steps = steps or Steps(None, 2 * len(records))
    risky = frozenset(FORMULA_STARTS)
    errors = frozenset(ERROR_CODES)
    book = Workbook(write_only=True)

    def text_cell(sheet, value: str):
        """A cell that is always a string, never a formula or an error."""
        if XML_UNSAFE.search(value):
            value = xml_safe(value)
        if len(value) > MAX_CELL:
            value = value[: MAX_CELL - len(CUT)] + CUT
        if value[:1] not in risky and value not in errors:
            return value
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell

    def start(title: str, header: list[str], widths: dict[str, float]):
        sheet = book.create_sheet(title)
        sheet.freeze_panes = "A2"
        print_setup(sheet)
        for i, name in enumerate(header, start=1):
            if name in widths:
                sheet.column_dimensions[get_column_letter(i)].width = widths[name]
        cells = [WriteOnlyCell(sheet, value=name) for name in header]
        for cell in cells:
            cell.font = Font(bold=True)
        sheet.append(cells)
        return sheet

    points = start("Points", list(HEADER), WIDTHS)
    points.auto_filter.ref = f"A1:{get_column_letter(len(HEADER))}{len(records) + 1}"
    for n, row in enumerate(rows, start=1):
        points.append([text_cell(points, c) if isinstance(c, str) and c else c for c in row])
        if n % 1000 == 0:
            steps.advance(1000)
    steps.advance(len(records) % 1000)

    chapters = start("Chapters", ["Code", "Description", "Count", "Percentage"],
                     {"Description": 60, "Percentage": 12})  # fmt: skip
    for row in breakdown.rows:
        chapters.append([row.code, text_cell(chapters, row.label), row.count,
                         _percent(chapters, row.percent)])  # fmt: skip
    total = Decimal(100) if breakdown.total else Decimal(0)
    chapters.append(["", "Total", breakdown.total, _percent(chapters, total)])
    if breakdown.notes:
        chapters.append([])
        for note in breakdown.notes:
            chapters.append(["", text_cell(chapters, note)])

    columns = scheme_chapters(conn, event_id).values()
    matrix = start("Matrix", ["No.", "Text", *(c.label for c in columns)], {"Text": 60})
    for n, record in enumerate(records, start=1):
        tagged = set(record.chapters)
        row: Row = [record.number, text_cell(matrix, record.text) if record.text else ""]
        matrix.append(row + [1 if c in tagged else 0 for c in columns])
        if n % 1000 == 0:
            steps.advance(1000)
    steps.advance(len(records) % 1000)

    attendees = read_attendees(conn, event_id)
    counted = tally(attendees)
    people = start("Attendance", ["Name", "Organisation", "Role", "Level", "Number"],
                   {"Name": 28, "Organisation": 32, "Role": 16, "Level": 16})  # fmt: skip
    for a in attendees:
        people.append([text_cell(people, a.name), text_cell(people, a.organisation),
                       a.role, a.level, a.count])  # fmt: skip
    people.append([])
    for line in counted.lines():  # the minutes' table: role × level of involvement
        people.append([text_cell(people, c) if isinstance(c, str) else c for c in line])
    apologies = start("Apologies", ["Name", "Organisation"], {"Name": 28, "Organisation": 32})
    for apology in read_apologies(conn, event_id):
        apologies.append([text_cell(apologies, apology.name),
                          text_cell(apologies, apology.organisation)])  # fmt: skip
    actions = start("Actions", ["Action", "Who", "By when", "Done", "From point"],
                    {"Action": 60, "Who": 24, "By when": 12})  # fmt: skip
    numbers = {r.id: r.number for r in records}
    for action in read_actions(conn, event_id, include_private=include_private):
        due = WriteOnlyCell(actions, value=action.due) if action.due else ""
        if due:
            due.number_format = "yyyy-mm-dd"
        done, point = "yes" if action.done else "", numbers.get(action.point_id, "")
        actions.append([text_cell(actions, action.what), text_cell(actions, action.who), due,
                        done, point])  # fmt: skip
    book.save(str(path))


def print_setup(sheet) -> None:
    """Printed on A4 landscape, as wide as the page (as many pages down as it takes), the
    header row repeated on every page: the Points sheet of 100 points is a few pages, not
    a few dozen slivers of columns."""
    from openpyxl.worksheet.worksheet import Worksheet

    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # 0: as many pages down as needed
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"


def _percent(sheet, value: Decimal):
    """A percentage as a number Excel shows as 5.17% (the exact Decimal, as a fraction)."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value / 100)
    cell.number_format = "0.00%"
    return cell
