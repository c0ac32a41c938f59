"""Small helpers for the DataTables whose rows are keyed by a record's id."""

from __future__ import annotations

from textual.widgets import DataTable


def cursor_id(table: DataTable) -> int | None:
    """The id of the row under the cursor (rows are added with key=str(id)), or None when
    the table is empty or hidden."""
    if not table.row_count or not table.display:
        return None
    key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
    return int(key) if key else None
