"""Fixing a mistyped group or topic from the capture screen: rename it, or delete it.

Renaming goes through sendtui.services.organise (names compared with `name_key`; renaming
onto an existing name merges the two). Deleting is for a group or topic typed by mistake:
it is refused while live points are in it (move or delete them first), so nothing typed is
lost; points deleted earlier from it go with it.
"""

from __future__ import annotations

from sendtui.errors import InputError, NotFoundError
from sendtui.store.db import Db
from sendtui.store.store import Store


def _live_points(db: Db, where: str, value: int) -> int:
    row = db.execute(
        f"SELECT count(*) FROM point WHERE {where} = ? AND deleted_at IS NULL", (value,)
    ).fetchone()
    return int(row[0])


def delete_group(store: Store, event_id: int, group_id: int) -> str:
    """Delete an empty group (and its topics); returns its name, for undo."""
    with store.write_raw() as db:
        row = db.execute(
            "SELECT name FROM discussion_group WHERE id = ? AND event_id = ?", (group_id, event_id)
        ).fetchone()
        if row is None:
            raise NotFoundError("That group is not part of this event.")
        live = _live_points(db, "group_id", group_id)
        if live:
            raise InputError(
                f"“{row[0]}” has {live} point{'s' if live != 1 else ''}: move them (F6) or "
                "delete them first, or rename the group (F2)."
            )
        _purge(db, "group_id", group_id)
        db.execute("DELETE FROM topic WHERE group_id = ?", (group_id,))
        db.execute("DELETE FROM discussion_group WHERE id = ?", (group_id,))
    return str(row[0])


def delete_topic(store: Store, event_id: int, topic_id: int) -> tuple[int, str]:
    """Delete an empty topic; returns (its group id, its title), for undo."""
    with store.write_raw() as db:
        row = db.execute(
            "SELECT t.group_id, t.title FROM topic t JOIN discussion_group g "
            "ON g.id = t.group_id WHERE t.id = ? AND g.event_id = ?",
            (topic_id, event_id),
        ).fetchone()
        if row is None:
            raise NotFoundError("That topic is not part of this event.")
        live = _live_points(db, "topic_id", topic_id)
        if live:
            raise InputError(
                f"“{row[1]}” has {live} point{'s' if live != 1 else ''}: move them (F6) or "
                "delete them first, or rename the topic (F2)."
            )
        _purge(db, "topic_id", topic_id)
        db.execute("DELETE FROM topic WHERE id = ?", (topic_id,))
    return int(row[0]), str(row[1])


def _purge(db: Db, column: str, value: int) -> None:
    """Remove points deleted earlier from the place; their tags, history and sub-point
    links go with them (ON DELETE CASCADE / SET NULL)."""
    db.execute(f"DELETE FROM point WHERE {column} = ? AND deleted_at IS NOT NULL", (value,))
