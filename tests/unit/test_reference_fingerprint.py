"""Opening a store parses the reference files only when they differ from those it last
synced (a fingerprint in store_meta): a changed or added scheme file is still synced, and
the parsed data is there for whoever asks."""

from __future__ import annotations

from pathlib import Path

import pytest

from sendtui.config import load_config
from sendtui.services import bootstrap
from sendtui.services import reference as reference_module
from sendtui.services.bootstrap import open_store

SCHEME = """code = "forum-{n}"
title = "Our forum's scheme"
source = "ours"

[[chapters]]
code = "1"
title = "{title}"
keywords = ["alpha"]
"""


@pytest.fixture
def setup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    extra = tmp_path / "ours"
    (extra / "schemes").mkdir(parents=True)
    (extra / "schemes" / "forum-1.toml").write_text(SCHEME.format(n=1, title="Homes"))
    config_file = tmp_path / "config.toml"
    config_file.write_text(f"[reference]\nfolders = [{str(extra)!r}]\n")
    config = load_config(config_file, database=tmp_path / "s.db")
    loads: list[int] = []
    real = reference_module.load_reference

    def counting(*args, **kwargs):
        loads.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(reference_module, "load_reference", counting)
    monkeypatch.setattr(bootstrap, "load_reference", counting)
    return config, extra, loads


def chapter_titles(opened) -> dict[tuple[str, str], str]:
    rows = opened.store.reader.execute(
        "SELECT s.code, c.code, c.title FROM chapter c JOIN scheme s ON s.id = c.scheme_id "
        "WHERE s.code LIKE 'forum-%' AND c.code = '1'"
    )
    return {(r[0], r[1]): r[2] for r in rows}


def test_unchanged_files_are_not_parsed_again(setup) -> None:
    config, _, loads = setup
    first = open_store(config)
    first.store.close()
    assert len(loads) == 1
    again = open_store(config)
    try:
        assert len(loads) == 1  # same files: no parsing, no sync
        assert chapter_titles(again) == {("forum-1", "1"): "Homes"}
        assert len(loads) == 1
        assert "forum-1" in again.reference.schemes  # parsed on demand
        assert len(loads) == 2
    finally:
        again.store.close()


def test_a_changed_or_added_scheme_file_is_synced(setup) -> None:
    config, extra, loads = setup
    open_store(config).store.close()
    path = extra / "schemes" / "forum-1.toml"
    path.write_text(SCHEME.format(n=1, title="Hames"))  # same size, one letter changed
    opened = open_store(config)
    try:
        assert chapter_titles(opened) == {("forum-1", "1"): "Hames"}
    finally:
        opened.store.close()
    (extra / "schemes" / "forum-2.toml").write_text(SCHEME.format(n=2, title="Schools"))
    opened = open_store(config)
    try:
        assert chapter_titles(opened) == {("forum-1", "1"): "Hames", ("forum-2", "1"): "Schools"}
        assert len(loads) == 3
    finally:
        opened.store.close()


def test_a_read_only_opening_with_new_files_parses_them_and_writes_nothing(setup) -> None:
    config, extra, loads = setup
    open_store(config).store.close()
    (extra / "schemes" / "forum-2.toml").write_text(SCHEME.format(n=2, title="Schools"))
    for _ in range(2):  # nothing remembered: parsed each time, as before the fingerprint
        opened = open_store(config, read_only=True)
        try:
            assert "forum-2" in opened.reference.schemes
            assert chapter_titles(opened) == {("forum-1", "1"): "Homes"}
        finally:
            opened.store.close()
    assert len(loads) == 3


def test_the_fingerprint_covers_every_file_read(tmp_path: Path) -> None:
    builtin = tmp_path / "data"
    (builtin / "schemes").mkdir(parents=True)
    (builtin / "schemes" / "a.toml").write_text("x")
    (builtin / "markers.toml").write_text("m")
    base = reference_module.fingerprint(builtin)
    assert reference_module.fingerprint(builtin) == base
    (builtin / "markers.toml").write_text("n")
    assert reference_module.fingerprint(builtin) != base
    marked = reference_module.fingerprint(builtin)
    (builtin / "schemes" / "a.toml").rename(builtin / "schemes" / "b.toml")
    assert reference_module.fingerprint(builtin) != marked
    other = tmp_path / "other"
    (other / "schemes").mkdir(parents=True)
    assert reference_module.fingerprint(builtin, [other]) != reference_module.fingerprint(builtin)
