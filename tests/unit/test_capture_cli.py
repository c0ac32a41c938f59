"""`sendtui capture EVENT --group G`: capture-syntax lines from stdin, saved as they arrive."""

from __future__ import annotations

import io
import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from sendtui.cli import main
from sendtui.paths import REPO_DIR


def _db(config) -> str:
    return str(config.database_path)


def _run(config, stdin: str, *args: str, monkeypatch) -> int:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    return main(["--db", _db(config), "capture", *args])


def _points(config, event_id: int = 1) -> list[tuple]:
    with sqlite3.connect(config.database_path) as conn:
        return conn.execute(
            "SELECT p.text, p.kind, p.heading, q.text, g.name, t.title FROM point p "
            "JOIN discussion_group g ON g.id = p.group_id LEFT JOIN topic t ON t.id = p.topic_id "
            "LEFT JOIN point q ON q.id = p.parent_id WHERE p.event_id = ? "
            "ORDER BY p.position, p.uuid",
            (event_id,),
        ).fetchall()


def test_lines_are_saved_exactly_as_the_capture_line_saves_them(
    config, event, monkeypatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = "## Money\n? Who pays? #2\n  the council\n    they said\n##\n* Send minutes\n"
    code = _run(
        config, lines, "Test consultation", "--group", "green GROUP", monkeypatch=monkeypatch
    )
    assert code == 0
    assert _points(config) == [
        ("Who pays?", "question", "Money", None, "Green Group", None),
        ("the council", "point", "Money", "Who pays?", "Green Group", None),
        ("they said", "point", "Money", "the council", "Green Group", None),
        ("Send minutes", "action", "", None, "Green Group", None),
    ]
    out = capsys.readouterr().out.splitlines()
    assert [line.split("\t", 1)[1] for line in out] == [
        "question\tWho pays?",
        "point\tthe council",
        "point\tthey said",
        "action\tSend minutes",
    ]
    with sqlite3.connect(config.database_path) as conn:  # "green GROUP" is Green Group
        assert conn.execute("SELECT count(*) FROM discussion_group").fetchone() == (1,)


def test_a_bad_line_is_reported_by_number_and_the_rest_go_on(
    config, event, monkeypatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = "first\nbad #99\n\n? \nlast \x1b]0;PWNED\x07\n"
    code = _run(config, lines, "1", "--group", "Red Group", "--topic", "Exercise 1",
                monkeypatch=monkeypatch)  # fmt: skip
    assert code == 2
    captured = capsys.readouterr()
    assert "line 2: There is no chapter 99" in captured.err
    assert "line 4: A point needs some text" in captured.err
    assert "\x1b" not in captured.out and "\x07" not in captured.out
    texts = [(p[0], p[4], p[5]) for p in _points(config)]
    assert texts == [
        ("first", "Red Group", "Exercise 1"),
        ("last \x1b]0;PWNED\x07", "Red Group", "Exercise 1"),
    ]


def test_heading_option_and_an_unknown_event(config, event, monkeypatch, capsys) -> None:
    assert _run(config, "a point\n", "1", "--group", "G", "--heading", "Intro",
                monkeypatch=monkeypatch) == 0  # fmt: skip
    assert _points(config)[0][2] == "Intro"
    assert _run(config, "x\n", "no such event", "--group", "G", monkeypatch=monkeypatch) == 2
    assert "Traceback" not in capsys.readouterr().err


def _capture_process(db: str, group: str, lines: list[str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "sendtui", "--db", db, "capture", "1", "--group", group,
         "--topic", "Q1"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO_DIR)},
    )  # fmt: skip


def test_two_writers_creating_the_same_group_make_one(config, event) -> None:
    names = ("Purple Group", "PURPLE  group")
    procs = [_capture_process(_db(config), name, []) for name in names]
    outs = [
        p.communicate("\n".join(f"{name} point {n}" for n in range(20)) + "\n", timeout=120)
        for p, name in zip(procs, names, strict=True)
    ]
    assert [p.returncode for p in procs] == [0, 0], [o[1][-1000:] for o in outs]
    with sqlite3.connect(config.database_path) as conn:
        groups = conn.execute(
            "SELECT name FROM discussion_group WHERE name_key = 'purple group'"
        ).fetchall()
        topics = conn.execute("SELECT count(*) FROM topic WHERE title = 'Q1'").fetchone()
    assert len(groups) == 1 and topics == (1,)
    points = _points(config)
    assert len(points) == 40 and len({p[0] for p in points}) == 40
    assert {p[4] for p in points} == {groups[0][0]}


def test_points_wait_for_a_busy_store_and_are_all_saved(config, event) -> None:
    blocker = sqlite3.connect(config.database_path, isolation_level=None, check_same_thread=False)
    proc = _capture_process(_db(config), "Green Group", [])
    time.sleep(1.5)  # let it open the store before the lock is taken
    blocker.execute("BEGIN IMMEDIATE")
    threading.Timer(2.0, lambda: blocker.execute("ROLLBACK")).start()
    out, err = proc.communicate("one\ntwo\nthree\n", timeout=120)
    assert proc.returncode == 0, err[-2000:]
    assert [line.split("\t")[2] for line in out.splitlines()] == ["one", "two", "three"]
    assert [p[0] for p in _points(config)] == ["one", "two", "three"]
    assert not Path(str(config.database_path) + ".outbox").exists() or _outbox_empty(config)


def _outbox_empty(config) -> bool:
    with sqlite3.connect(str(config.database_path) + ".outbox") as conn:
        return conn.execute("SELECT count(*) FROM outbox").fetchone() == (0,)
