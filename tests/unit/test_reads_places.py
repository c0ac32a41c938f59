"""reads.points by place: a group's own place (no topic) reads only the points in no topic,
in the store, not by reading the whole group and dropping the rest."""

from __future__ import annotations

from sendtui.store import reads


def _add(store, event: dict[str, int], text: str, topic_id: int | None) -> int:
    with store.write_raw() as db:
        (position,) = db.execute(
            "SELECT coalesce(max(position), 0) + 1 FROM point WHERE event_id = ?",
            (event["event"],),
        ).fetchone()
        row = db.execute(
            "INSERT INTO point (uuid, event_id, group_id, topic_id, heading, kind, text, "
            "section_ref, position, note_taker, private, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, '', 'point', ?, '', ?, '', ?, '2026-01-01 00:00:00', "
            "'2026-01-01 00:00:00') RETURNING id",
            (f"uuid-{text}", event["event"], event["group"], topic_id, text, position, False),
        ).fetchone()
    return int(row[0])


def test_a_groups_own_place_reads_only_points_in_no_topic(store, event) -> None:
    loose = _add(store, event, "said to the whole group", None)
    in_topic = _add(store, event, "about the topic", event["topic"])
    later_loose = _add(store, event, "another for the group", None)
    conn = store.reader
    own = reads.points(conn, event["event"], group_id=event["group"], no_topic=True)
    assert [p.id for p in own] == [loose, later_loose]
    topic = reads.points(conn, event["event"], group_id=event["group"], topic_id=event["topic"])
    assert [p.id for p in topic] == [in_topic]
    everything = reads.points(conn, event["event"], group_id=event["group"])
    assert [p.id for p in everything] == [loose, in_topic, later_loose]
