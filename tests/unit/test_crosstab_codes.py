"""Counting by whole-number codes (crosstabs.tally) gives exactly the counts of grouping by
the keys themselves, for every dimension and pair of dimensions, with tags, sub-buckets
("Untagged", "No topic", "No marker"), private points and a kind that Kind does not list."""

from __future__ import annotations

import itertools
from collections import Counter

import pytest

from sendtui.services import crosstabs
from sendtui.services.crosstabs import DIMENSIONS, dimension, tally
from tests.unit.test_reports import build_seed_event


def _by_keys(conn, event_id: int, dims, include_private: bool) -> Counter:
    """The counts the plain way: every live point's keys read, counted in Python."""
    where, args = crosstabs.point_filter(None, include_private)
    joins = " ".join(d.join for d in dims if d.join)
    rows = conn.execute(
        f"SELECT {', '.join(d.key for d in dims)} FROM point p {joins} "
        f"WHERE p.event_id = ? AND p.deleted_at IS NULL{where}",
        [event_id, *args],
    )
    return Counter(tuple(row) for row in rows)


@pytest.fixture
def seed(opened, tmp_path, config) -> int:
    event_id = build_seed_event(opened, tmp_path, config.capture)
    with opened.store.write_raw() as conn:
        # markers on some points, a second chapter on others: multi-tagged rows
        ids = [r[0] for r in conn.execute("SELECT id FROM point WHERE event_id = ?", (event_id,))]
        markers = [r[0] for r in conn.execute("SELECT id FROM marker ORDER BY position")]
        conn.executemany(
            "INSERT INTO point_marker (point_id, marker_id) VALUES (?, ?)",
            [(pid, markers[n % len(markers)]) for n, pid in enumerate(ids) if n % 4 == 0],
        )
        conn.executemany(
            "INSERT INTO point_marker (point_id, marker_id) VALUES (?, ?)",
            [(pid, markers[-1]) for n, pid in enumerate(ids) if n % 12 == 0],
        )
    return event_id


@pytest.mark.parametrize("include_private", [True, False])
def test_codes_count_as_the_keys_do(opened, seed: int, include_private: bool) -> None:
    conn = opened.store.reader
    names = list(DIMENSIONS)
    pairs = [(a,) for a in names] + list(itertools.permutations(names, 2))
    for pair in pairs:
        dims = [dimension(name) for name in pair]
        found = tally(conn, seed, dims, include_private=include_private).counts
        assert found == _by_keys(conn, seed, dims, include_private), pair
        # and it was counted by codes, not by the fallback
        where, args = crosstabs.point_filter(None, include_private)
        joins = " ".join(d.join for d in dims if d.join)
        live = f"FROM point p {joins} WHERE p.event_id = ? AND p.deleted_at IS NULL{where}"
        assert crosstabs._counts_by_code(conn, dims, live, [seed, *args]) == found, pair


def test_a_kind_that_kind_does_not_list_is_still_counted(opened, seed: int) -> None:
    """An older or newer sendtui's kind ("idea"): counted under its own text, by the keys."""
    conn = opened.store.reader
    with opened.store.write_raw() as raw:
        raw.execute("UPDATE point SET kind = 'idea' WHERE id IN (SELECT min(id) FROM point)")
    for pair in (("kind",), ("chapter", "kind"), ("kind", "group")):
        dims = [dimension(name) for name in pair]
        found = tally(conn, seed, dims).counts
        assert found == _by_keys(conn, seed, dims, True), pair
        assert any("idea" in key for key in found), pair
    table = crosstabs.crosstab(conn, seed, "chapter", "kind")
    assert [c.label for c in table.cols][-1] == "idea"
