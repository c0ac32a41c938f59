"""`sendtui report` and `sendtui import` of a JSON dump, from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sendtui.cli import main
from tests.conftest import DEMO_NOTES, MARKUP
from tests.unit.test_reports import NOISE_POINTS, NOISE_QUESTIONS, seed_notes
from tests.unit.test_tables import SEED_CSV


def cli(tmp_path: Path, *args: str) -> list[str]:
    return ["--db", str(tmp_path / "cli.db"), *args]


@pytest.fixture
def seeded(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    notes = tmp_path / "seed.md"
    notes.write_text(seed_notes(), encoding="utf-8")
    assert main(cli(tmp_path, "import", str(notes))) == 0
    capsys.readouterr()
    return tmp_path


def test_seed_000_table_as_csv(seeded: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["report", "Seed 000", "--by", "chapter", "--kind", "concern", "--format", "csv"]
    assert main(cli(seeded, *args)) == 0
    assert capsys.readouterr().out == SEED_CSV


def test_kinds_may_be_plural_or_capitalised(seeded: Path, capsys) -> None:
    assert main(cli(seeded, "report", "1", "--kind", "Concerns", "--format", "csv")) == 0
    assert capsys.readouterr().out == SEED_CSV


def test_table_markdown_and_file(seeded: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(cli(seeded, "report", "1", "--kind", "concern")) == 0
    table = capsys.readouterr().out
    assert "Seed 000 concerns" in table and "Concerns by chapter" in table
    assert "31.38%" in table and "100.00%" in table
    assert main(cli(seeded, "report", "1", "--format", "md")) == 0
    markdown = capsys.readouterr().out
    assert markdown.startswith("## Points by chapter: Seed 000 concerns\n\n|  | Description |")
    assert f"|  | Untagged | {NOISE_POINTS} |" in markdown
    target = seeded / "tally.csv"
    args = ["report", "1", "--kind", "concern", "--format", "csv", "-o", str(target)]
    assert main(cli(seeded, *args)) == 0
    assert target.read_text(encoding="utf-8") == SEED_CSV
    assert "Wrote" in capsys.readouterr().err
    drawn = seeded / "tally.txt"
    assert main(cli(seeded, "report", "1", "--by", "group-chapter", "-o", str(drawn))) == 0
    text = drawn.read_text(encoding="utf-8")
    assert "Points by group and chapter" in text and "\x1b[" not in text


@pytest.mark.parametrize(
    ("by", "fragment"),
    [
        ("chapter", "Total,590,100.00%"),
        ("marker", "M7,Two-way feedback"),
        ("group", "Red Group,300,"),
        ("kind", f"Questions,{NOISE_QUESTIONS},"),
        ("group-chapter", "Total,30,18,34,85,86,101,182,47,7,590"),
        ("chapter-kind", f",Untagged,{NOISE_POINTS},0,0,0,0,0,0,{NOISE_POINTS}"),
    ],
)
def test_every_report(seeded: Path, capsys: pytest.CaptureFixture[str], by, fragment) -> None:
    assert main(cli(seeded, "report", "1", "--by", by, "--format", "csv")) == 0
    assert fragment in capsys.readouterr().out
    if by == "marker":  # CSV holds the table only; the other formats add its notes
        assert main(cli(seeded, "report", "1", "--by", by, "--format", "md")) == 0
        assert "No points for 12 markers: M1, M2" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["report", "1", "--kind", "grumble"], "the kinds are: point, question, positive"),
        (["report", "99"], "no event"),
    ],
)
def test_report_errors_are_messages(seeded: Path, capsys, args, fragment) -> None:
    assert main(cli(seeded, *args)) == 2
    err = capsys.readouterr().err
    assert err.startswith("sendtui: ") and fragment in err.lower() and "Traceback" not in err


def test_group_names_print_literally(tmp_path: Path, capsys) -> None:
    notes = tmp_path / "n.md"
    notes.write_text(f"# Markup\n## {MARKUP}\n- a point\n", encoding="utf-8")
    assert main(cli(tmp_path, "import", str(notes))) == 0
    assert main(cli(tmp_path, "report", "Markup", "--by", "group")) == 0
    assert MARKUP in capsys.readouterr().out


def test_private_points_only_with_the_flag(tmp_path: Path, capsys) -> None:
    assert main(cli(tmp_path, "import", str(DEMO_NOTES))) == 0
    from sendtui.config import load_config
    from sendtui.services.bootstrap import open_store
    from sendtui.services.points import PointEditor

    opened = open_store(load_config(None, database=tmp_path / "cli.db"))
    try:
        PointEditor(opened.store, 1).set_private([1, 2], True)
    finally:
        opened.store.close()
    capsys.readouterr()
    assert main(cli(tmp_path, "report", "1", "--by", "kind", "--format", "csv")) == 0
    without = capsys.readouterr().out.splitlines()[-1]
    args = ["report", "1", "--by", "kind", "--format", "csv", "--include-private"]
    assert main(cli(tmp_path, *args)) == 0
    with_private = capsys.readouterr().out.splitlines()[-1]
    assert without == "Total,353,100.00%" and with_private == "Total,355,100.00%"
    assert main(cli(tmp_path, "report", "1", "--by", "kind", "--format", "md")) == 0
    assert "2 private points are left out." in capsys.readouterr().out  # said, not silent


def test_import_merges_a_json_dump(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    laptop = tmp_path / "laptop"
    laptop.mkdir()
    assert main(cli(laptop, "import", str(DEMO_NOTES))) == 0
    dump = tmp_path / "laptop.json"
    assert main(cli(laptop, "export", "1", "--format", "json", "-o", str(dump))) == 0
    capsys.readouterr()
    assert main(cli(tmp_path, "import", str(dump))) == 0
    assert "Created event 1" in capsys.readouterr().out
    assert main(cli(tmp_path, "import", str(dump))) == 0
    assert "0 new points, 0 updated, 355 unchanged" in capsys.readouterr().out
    data = json.loads(dump.read_text(encoding="utf-8"))
    del data["points"][3]["text"]
    dump.write_text(json.dumps(data), encoding="utf-8")
    assert main(cli(tmp_path, "import", str(dump))) == 2
    err = capsys.readouterr().err
    assert "points[3].text: missing" in err and "nothing was merged" in err
    assert "Traceback" not in err


def test_a_table_to_a_pipe_or_file_is_full_width(tmp_path: Path, capsys) -> None:
    """`sendtui report … | cat` used to crop the table at 80 columns: a pipe (capsys is
    one) and a file get the whole table, every column and every label whole."""
    long = "Parent carers of children who have left school " * 2
    notes = tmp_path / "n.md"
    notes.write_text(f"# Wide\n## {long.strip()}\n- a point #4\n- another\n", encoding="utf-8")
    assert main(cli(tmp_path, "import", str(notes))) == 0
    capsys.readouterr()
    assert main(cli(tmp_path, "report", "Wide", "--by", "group-chapter")) == 0
    out = capsys.readouterr().out
    assert long.strip() in out  # the label is not wrapped or cut
    header = next(line for line in out.splitlines() if "Untagged" in line)
    assert "Total" in header and len(header) > 80
    target = tmp_path / "wide.txt"
    assert main(cli(tmp_path, "report", "Wide", "--by", "group-chapter", "-o", str(target))) == 0
    assert long.strip() in target.read_text(encoding="utf-8")


def test_report_refuses_to_write_over_the_store(seeded: Path, capsys) -> None:
    store = seeded / "cli.db"
    before = store.read_bytes()
    assert main(cli(seeded, "report", "1", "--format", "csv", "-o", str(store))) == 2
    err = capsys.readouterr().err
    assert "sendtui database" in err and "Traceback" not in err
    assert store.read_bytes() == before


def test_event_titles_and_labels_are_printed_printable(tmp_path: Path, capsys) -> None:
    notes = tmp_path / "n.md"
    notes.write_text("# Evil\x1b]0;pwned\x07 title\n## Red\x1b[2J Group\n- a point\n", "utf-8")
    assert main(cli(tmp_path, "import", str(notes))) == 0
    capsys.readouterr()
    assert main(cli(tmp_path, "report", "1", "--by", "group")) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out and "Group" in out


def test_help_and_report_say_the_private_rule(seeded: Path, capsys) -> None:
    with pytest.raises(SystemExit):
        main(["report", "--help"])
    assert "Private points" in capsys.readouterr().out
