# ruff: noqa: E501 - long literal lists of hostile values read better on one line
"""The sweep's cases: bad notes, config, claims CSV, dumps, command lines, --db values and
damaged stores, generated from a fixed seed so two runs try the same inputs."""

from __future__ import annotations

import copy
import json
import os
import random
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sendtui.paths import builtin_data_dir

DEMO_NOTES = builtin_data_dir() / "demo" / "nnpcf-2013-07-08.md"
CLAIMS_CSV = (
    "member,date,category,amount,miles,passengers,hours,description,event,receipt\n"
    "Jane Parent,2025-07-08,Taxi,12.50,,,,to the station,SEND board,yes\n"
    "Jane Parent,2025-07-08,Car mileage,,30,1,,,SEND board,\n"
    "Bob New,2025-07-09,Public transport,4.20,,,,bus,Coffee morning,yes\n"
)
EVIL = "Evil \x1b]0;PWNED\x07\x1b[2J"
EVIL_NOTES = (
    f"# {EVIL}\nDate: 2025-01-01\nVenue: {EVIL}\n\n## Group {EVIL}\nFacilitator: {EVIL}\n"
    f"### Topic {EVIL}\n#### Heading {EVIL}\n- point {EVIL} #2\n  - sub {EVIL}\n- ? question {EVIL}\n"
)
BIG = str(2**63)
HUGE = "9" * 5000

# Values that have broken parsers somewhere: Unicode digits, extremes, controls, markup.
NASTY_TEXT = [
    "", " ", "²", "٣", "１２", "١٢.٥٠", BIG, str(2**63 - 1), HUGE, "-1", "0", "1e999", "NaN",
    "inf", "0001-01-01", "9999-12-31", "2025-02-30", "10000-01-01", "0000-00-00", EVIL,
    "=cmd|' /C calc'!A0", "\x00", "\ud800", "\uffff", "\u202e", "\u2028", "\x85", "\x0b",
    "[bold]x[/]", "ÉLODIE SMITH", "élodie smith", "Łukasz", "x" * 20_000, " " * 200_000, "\t",
]  # fmt: skip


@dataclass
class Seed:
    root: Path
    store: Path
    dump: Path
    notes: str


class Maker:
    """Case folders, numbered per category."""

    def __init__(self, seed: Seed, case_type: type) -> None:
        self.seed, self.case_type, self.count = seed, case_type, 0
        self.cases: list[Any] = []

    def add(self, category: str, label: str, argv: list[str], folder: Path, **kw: Any) -> None:
        self.cases.append(self.case_type(category, label, argv, folder, **kw))

    def folder(self, category: str) -> Path:
        self.count += 1
        path = self.seed.root / "cases" / f"{category}-{self.count:05d}"
        path.mkdir(parents=True)
        return path


def _special_files(folder: Path) -> dict[str, str]:
    """Paths that are not ordinary files: a FIFO, a folder, devices, a loop, a missing file."""
    fifo = folder / "fifo"
    os.mkfifo(fifo)
    (folder / "dir").mkdir()
    loop = folder / "loop"
    loop.symlink_to(loop)
    sparse = folder / "huge.txt"
    with open(sparse, "wb") as handle:
        handle.truncate(300 * 2**20)  # 300 MB of holes: cheap to make, too big to read
    return {
        "fifo": str(fifo),
        "dir": str(folder / "dir"),
        "/dev/zero": "/dev/zero",
        "/dev/null": "/dev/null",
        "loop": str(loop),
        "missing": str(folder / "absent.txt"),
        "huge": str(sparse),
        "nul-name": str(folder / "a\x00b"),
        "long-name": str(folder / ("x" * 300)),
        "under-a-file": str(folder / "plain" / "x"),
        "unknown-user": "~no_such_user_sweep/x",
    }


# ---------------------------------------------------------------- notes files


def _notes_mutations(rng: random.Random, text: str) -> bytes:
    lines = text.splitlines()[:40]
    kind = rng.randrange(14)
    if kind == 0:  # a nasty line somewhere
        lines.insert(rng.randrange(len(lines) + 1), rng.choice(_NOTES_LINES))
    elif kind == 1:  # several
        for _ in range(rng.randrange(2, 8)):
            lines.insert(rng.randrange(len(lines) + 1), rng.choice(_NOTES_LINES))
    elif kind == 2:  # a nasty value inside a bullet, a heading or a detail
        prefix = rng.choice(["- ", "## ", "### ", "#### ", "- #", "- @M", "Date: ", "Scheme: "])
        lines.insert(rng.randrange(1, len(lines) + 1), prefix + rng.choice(NASTY_TEXT))
    elif kind == 3:  # odd line endings
        sep = rng.choice(["\r", "\r\n", "\u2028", "\x85", "\x0b", "\x0c", "\x1c", "\n\n\n"])
        return sep.join(lines).encode("utf-8", "surrogatepass")
    elif kind == 4:  # deep nesting
        depth = rng.choice([50, 500, 3000])
        lines += [" " * (2 * i) + f"- level {i}" for i in range(depth)]
    elif kind == 5:  # invalid UTF-8 or another encoding
        data = "\n".join(lines).encode("utf-8")
        spot = rng.randrange(len(data))
        return data[:spot] + rng.choice([b"\xff", b"\xc3(", b"\xed\xa0\x80", b"\x00"]) + data[spot:]
    elif kind == 6:
        return "\n".join(lines).encode(
            rng.choice(["utf-16", "utf-16-le", "cp1252", "utf-8-sig"]), "replace"
        )
    elif kind == 7:  # truncated
        data = "\n".join(lines).encode()
        return data[: rng.randrange(len(data))]
    elif kind == 8:  # title with escapes, duplicate title, no title
        lines[0] = rng.choice([f"# {EVIL}", "#", "# ", "", "## not a title", "#" * 7 + " x"])
    elif kind == 9:  # many bullets
        lines += ["- point #2"] * rng.choice([1000, 20_000])
    elif kind == 10:  # random bytes
        return rng.randbytes(rng.randrange(1, 4000))
    elif kind == 11:  # a declared scheme that does not fit
        lines[2] = "Scheme: " + rng.choice(["cop-2015", "nope", "", EVIL, "../../etc/passwd"])
    elif kind == 12:  # wrapped lines making a huge bullet
        lines += ["- start"] + ["continued words"] * rng.choice([100, 5000])
    else:
        lines = [rng.choice(_NOTES_LINES) for _ in range(rng.randrange(1, 30))]
    return "\n".join(lines).encode("utf-8", "surrogatepass")


_NOTES_LINES = [
    "-" + " " * 200_000, "- " + " " * 200_000 + "x", "#" + " " * 200_000, "# " + " " * 200_000 + "x",
    "Date" + " " * 200_000 + ":", "#" * 200_000, "- x #" + HUGE, "- x #" + BIG, "- x #٣",
    "- x @M" + HUGE, "- x @M٣", "- x #²", "Date: ٢٠١٣-٠٧-٠٨", "Date: 0001-01-01",
    "Date: 9999-12-31", "Date: 31/12/9999", "Date: " + HUGE, "### Chapter " + HUGE,
    "### Chapter ٣", "#### Chapter " + BIG, "- \x1b]0;X\x07", "-\t\t", "- ", "*", "• x",
    "- \ud800", "- \x00", "Facilitator: " + EVIL, "Venue: " + "v" * 20_000, "text outside",
    "- ? ", "- + ", "- ! ", "- > ", "- * ", "  - orphan", "\t- tab", "##", "## " + EVIL,
    "- " + "\u202e" * 10, "- [bold]x[/]", "- =cmd", "Attendance: " + BIG,
]  # fmt: skip


def notes_cases(make: Maker, rng: random.Random, n: int) -> None:
    for i in range(n):
        folder = make.folder("notes")
        path = folder / rng.choice(["notes.md", "notes.txt", "n.MD"])
        path.write_bytes(_notes_mutations(rng, make.seed.notes))
        argv = ["--db", str(folder / "sendtui.db"), "import", str(path)]
        if i % 7 == 0:
            argv += ["--event", rng.choice(["1", "٣", BIG, HUGE, "SEN", EVIL, ""])]
        make.add("notes", f"mutation {i}", argv, folder, store=folder / "sendtui.db")
    folder = make.folder("notes")
    for name, special in _special_files(folder).items():
        sub = make.folder("notes")
        make.add(
            "notes",
            f"special file: {name}",
            ["--db", str(sub / "sendtui.db"), "import", special],
            sub,
            store=sub / "sendtui.db",
        )


# ---------------------------------------------------------------- config.toml

_CONFIG_SNIPPETS = [
    "a = " + "[" * 100_000 + "]" * 100_000, "a = " + "{b=" * 3000 + "1" + "}" * 3000,
    "[" + ".".join(["a"] * 3000) + "]", "[store]\nbusy_timeout_ms = " + HUGE,
    "[store]\nbusy_timeout_ms = " + BIG, "[claims]\ncar_threshold_miles = " + BIG,
    "[claims]\ncar_threshold_miles = 9223372036854775807", "[claims]\nflag_older_than_days = 999999999",
    "[claims]\nflag_older_than_days = 9223372036854775807", "[claims]\nretention_years = -1",
    '[store]\ndatabase = ""', '[store]\ndatabase = "."', '[store]\ndatabase = "a\\u0000b"',
    '[store]\ndatabase = "~no_such_user_sweep/x.db"', '[store]\ndatabase = "' + "x" * 5000 + '"',
    '[store]\ndatabase = "config.toml/x.db"', '[store]\ndatabase = "/dev/null"',
    '[store]\ndatabase = "fifo"', '[store]\ndatabase = "postgresql://u@127.0.0.1:1/x"',
    '[store]\ndatabase = "postgresql://[::1"', '[store]\ndatabase = "host=127.0.0.1 port=1 dbname=x"',
    '[store]\ndatabase = "postgres://u:secret@127.0.0.1:1/x?sslmode=bogus"',
    '[forum]\nname = "' + EVIL.replace("\x1b", "\\u001b").replace("\x07", "\\u0007") + '"',
    "[forum]\nname = nan", "[forum]\nname = inf", "[forum]\nname = 1979-05-27T07:32:00Z",
    '[capture]\ndefault_scheme = "nope"', '[capture.kind_marks]\nquestion = ""',
    '[capture.kind_marks]\nquestion = "#"', '[capture.kind_marks]\nquestion = "+"',
    '[capture.kind_words]\nquestion = ["' + "q" * 10000 + '"]', "[capture.kind_words]\nquestion = []",
    '[keys]\n"capture.undo" = ""', '[keys]\n"x" = "y"', "[keys]\n" + '"a.b" = "c"\n' * 2000,
    '[reference]\nfolders = ["fifo", "dir", "/dev/null", "~no_such_user_sweep"]',
    '[minutes]\ntemplate = "fifo"', '[minutes]\ntemplate = "config.toml"', '[ui]\ntheme = "' + EVIL.replace("\x1b", "") + '"',
    '[claims]\nstarts = 0001-01-01', "[[claims.grades]]\nstarts = 0001-01-01\nper_hour = \"1e999\"",
    '[[claims.grades]]\nstarts = 9999-12-31\nper_hour = "٣.00"', '[[claims.grades]]\nstarts = 2025-04-06\nper_hour = "' + HUGE + '"',
    "[claims]\nnope = 1", "base_dir = '/'", "source = 'x'", "[store\n", "= 1", "a = 'unterminated",
    "a = \"\\ud800\"", 'a = """' + "x" * 100 + "", "\x00", "[[store]]", "store = 1", "[forum]\nname = [1, 'a']",
]  # fmt: skip


def config_cases(make: Maker, rng: random.Random, n: int) -> None:
    base = (builtin_data_dir().parent / "config.toml").read_text(encoding="utf-8")
    for i in range(n):
        folder = make.folder("config")
        os.mkfifo(folder / "fifo")
        (folder / "dir").mkdir()
        kind = rng.randrange(6)
        if kind <= 2:
            text = rng.choice(_CONFIG_SNIPPETS)
            data = text.encode("utf-8", "surrogatepass")
        elif kind == 3:  # the shipped file with a snippet appended or a line broken
            lines = base.splitlines()
            lines.insert(rng.randrange(len(lines) + 1), rng.choice(_CONFIG_SNIPPETS))
            data = "\n".join(lines).encode("utf-8", "surrogatepass")
        elif kind == 4:
            data = rng.choice([b"\xef\xbb\xbf", b"\xff\xfe", b""]) + rng.choice(
                _CONFIG_SNIPPETS
            ).encode(rng.choice(["utf-8", "utf-16-le", "cp1252"]), "replace")
        else:
            data = rng.randbytes(rng.randrange(0, 3000))
        config = folder / "config.toml"
        config.write_bytes(data)
        command = rng.choice([["events"], ["config"], ["claims", "list"], ["report", "1"], []])
        argv = ["--config", str(config)]
        store = None
        if rng.random() < 0.5:
            argv += ["--db", str(folder / "sendtui.db")]
            store = folder / "sendtui.db"
        make.add("config", f"config {i} ({data[:40]!r})", argv + command, folder, store=store)
    folder = make.folder("config")
    for name, special in _special_files(folder).items():
        make.add("config", f"special file: {name}", ["--config", special, "events"], folder)


# ---------------------------------------------------------------- claims CSV

_CSV_HEADER = "member,date,category,amount,miles,passengers,hours,description,event,receipt"
_CSV_FIELDS = _CSV_HEADER.split(",")


def _csv_text(rng: random.Random) -> bytes:
    kind = rng.randrange(10)
    rows = CLAIMS_CSV.splitlines()
    if kind <= 4:  # one or more cells replaced by something nasty
        for _ in range(rng.randrange(1, 4)):
            r = rng.randrange(1, len(rows))
            cells = rows[r].split(",")
            cells[rng.randrange(len(cells))] = rng.choice(NASTY_TEXT).replace(",", ";")
            rows[r] = ",".join(cells)
    elif kind == 5:  # header problems
        rows[0] = rng.choice(["", "member", _CSV_HEADER + ",colour", _CSV_HEADER.upper(),
                              _CSV_HEADER.replace("amount", "amount,amount"), ",".join(["x"] * 10000),
                              "\ufeff" + _CSV_HEADER, EVIL])  # fmt: skip
    elif kind == 6:  # quoting and field size
        rows.append('"' + "x" * rng.choice([10, 200_000]) + rng.choice(['"', ""]))
        rows.append('Jane Parent,2025-07-08,Taxi,"1\n2",,,,,,')
    elif kind == 7:  # many rows, or names differing only in case
        rows += [rng.choice(["ÉLODIE SMITH", "élodie smith", "Łukasz", "ŁUKASZ"]) + ",2025-07-08,Taxi,1.00,,,,,SEND board,yes"
                 for _ in range(rng.choice([3, 2000]))]  # fmt: skip
    elif kind == 8:
        return rng.randbytes(rng.randrange(1, 3000))
    else:
        return "\n".join(rows).encode(rng.choice(["cp1252", "utf-16", "latin-1"]), "replace")
    sep = rng.choice(["\n", "\r\n", "\r"])
    return sep.join(rows).encode("utf-8", "surrogatepass")


def csv_cases(make: Maker, rng: random.Random, n: int) -> None:
    for i in range(n):
        folder = make.folder("csv")
        sheet = folder / "claims.csv"
        sheet.write_bytes(_csv_text(rng))
        argv = ["--db", str(folder / "sendtui.db"), "claims", "import", str(sheet), "--as", "Sweep"]
        make.add("csv", f"claims sheet {i}", argv, folder, store=folder / "sendtui.db")
    folder = make.folder("csv")
    for name, special in _special_files(folder).items():
        sub = make.folder("csv")
        argv = ["--db", str(sub / "sendtui.db"), "claims", "import", special, "--as", "Sweep"]
        make.add("csv", f"special file: {name}", argv, sub, store=sub / "sendtui.db")


# ---------------------------------------------------------------- JSON dumps

_JSON_VALUES: list[Any] = [
    None, True, 0, -1, 2**63, -(2**63) - 1, 2**64, 10**400, 1e308, float("nan"), float("inf"),
    "", "٣", "²", "\ud800", "\x1b]0;X\x07", "x" * 100_000, "0001-01-01", "9999-12-31",
    "9999-12-31T23:59:59+14:00", "not-a-uuid", [], {}, [[[[]]]], {"a": {"b": {}}},
    2**31, 100_001, "\x00", "2024-02-30",
]  # fmt: skip


def _paths(value: Any, here: tuple = ()) -> list[tuple]:
    found = [here]
    if isinstance(value, dict):
        for k, v in value.items():
            found += _paths(v, (*here, k))
    elif isinstance(value, list):
        for i, v in enumerate(value[:3]):
            found += _paths(v, (*here, i))
    return found


def _mutated_dump(rng: random.Random, dump: dict) -> bytes:
    kind = rng.randrange(8)
    if kind <= 3:
        data = copy.deepcopy(dump)
        for _ in range(rng.randrange(1, 3)):
            path = rng.choice(_paths(data)[1:])
            parent = data
            for part in path[:-1]:
                parent = parent[part]
            if rng.random() < 0.2 and isinstance(parent, dict):
                parent.pop(path[-1], None)
            else:
                parent[path[-1]] = copy.deepcopy(rng.choice(_JSON_VALUES))
        text = json.dumps(data, ensure_ascii=rng.random() < 0.5)
        return text.encode("utf-8", "surrogatepass")
    raw = json.dumps(dump).encode()
    if kind == 4:
        return raw[: rng.randrange(len(raw))]
    if kind == 5:
        return b"[" * rng.choice([100, 100_000]) + b"]" * rng.choice([0, 100_000])
    if kind == 6:
        return rng.choice(
            [b"", b"null", b"[]", b"{}", b'"x"', b"1" * 5000, b"\xef\xbb\xbf{}", b"NaN"]
        )
    spot = rng.randrange(len(raw))
    return raw[:spot] + rng.choice([b"\xff", b"\x00", b"\\ud800", b'"']) + raw[spot:]


def dump_cases(make: Maker, rng: random.Random, n: int) -> None:
    dump = json.loads(make.seed.dump.read_text(encoding="utf-8"))
    dump["points"] = dump["points"][:20]
    kept = [point["uuid"] for point in dump["points"]]
    for action in dump.get("actions", []):  # still pointing at a point the dump has
        action["point"] = rng.choice([*kept, None])
    for i in range(n):
        folder = make.folder("dump")
        path = folder / "dump.json"
        path.write_bytes(_mutated_dump(rng, dump))
        argv = ["--db", str(folder / "sendtui.db"), "import", str(path)]
        make.add("dump", f"dump {i}", argv, folder, store=folder / "sendtui.db")


# ---------------------------------------------------------------- command lines


def _vocabulary() -> tuple[list[list[str]], list[str]]:
    """Every command path and option the real parser has, so new commands are swept too."""
    import argparse

    from sendtui.cli import build_parser

    commands: list[list[str]] = [[]]
    options: set[str] = set()

    def walk(parser: argparse.ArgumentParser, path: list[str]) -> None:
        for action in parser._actions:
            options.update(action.option_strings)
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    commands.append([*path, name])
                    walk(sub, [*path, name])

    walk(build_parser(), [])
    options.discard("--db")
    return commands, sorted(options)


# Commands that show event 2 (every name in it carries terminal escapes) on a terminal.
SHOWING = [
    ["events"], ["export", "2", "--format", "md"], ["export", "2", "--format", "csv"],
    ["export", "2", "--format", "html"], ["export", "2", "--format", "json"], ["export", "Evil"],
    ["report", "2"], ["report", "2", "--by", "group"], ["report", "2", "--by", "kind"],
    ["report", "2", "--by", "group-chapter"], ["report", "2", "--format", "csv"],
    ["report", "2", "--format", "md"], ["claims", "list"], ["members", "list"], ["check"],
    ["config"], ["import", str(DEMO_NOTES), "--event", "2"], ["export", "No " + EVIL],
    ["claims", "list", "--event", "2"], ["claims", "list", "--member", EVIL],
]  # fmt: skip


def cli_cases(make: Maker, rng: random.Random, n: int) -> None:
    for words in SHOWING:
        folder = make.folder("cli")
        argv = ["--db", str(folder / "sendtui.db"), *words]
        make.add("cli", f"showing escapes: {words[0]}", argv, folder, store=folder / "sendtui.db")
    commands, options = _vocabulary()
    values = [*NASTY_TEXT[:26], "1", "2", "2", "2", "Evil", "json", "csv", "md", "docx", "xlsx", "html", "chapter",
              "member", "all", "paid", "cheque", "-", "--", "out.csv", "out.docx"]  # fmt: skip
    for i in range(n):
        folder = make.folder("cli")
        words = list(rng.choice(commands))
        for _ in range(rng.randrange(0, 5)):
            words.append(rng.choice(options) if rng.random() < 0.4 else rng.choice(values))
        words = [w for w in words if w not in ("-h", "--help", "--version")] or ["events"]
        argv = ["--db", str(folder / "sendtui.db"), *words]
        make.add("cli", f"command line {i}", argv, folder, store=folder / "sendtui.db")


# ---------------------------------------------------------------- --db values and stores


def db_cases(make: Maker, rng: random.Random) -> None:
    folder = make.folder("db")
    specials = _special_files(folder)
    (folder / "plain").write_text("not a folder")
    (folder / "text.db").write_text("hello " * 1000)
    (folder / "empty.db").write_bytes(b"")
    other = folder / "other-program.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT)")
        conn.execute("INSERT INTO things (name) VALUES ('kept')")
    conn.close()
    values = [*specials.values(), "", " ", str(folder / "text.db"), str(folder / "empty.db"),
              "postgresql://u@127.0.0.1:1/x", "postgresql://[::1", "postgres://u:secret@127.0.0.1:1/x",
              "host=127.0.0.1 port=1 dbname=x", "dbname=", "postgresql://", "postgresql:///x?host=/nonexistent",
              EVIL, "\ud800.db"]  # fmt: skip
    commands = [["events"], ["report", "1"], ["check"], ["export", "1", "--format", "md", "-o", "out.md"],
                ["claims", "list"], ["backup"], ["import", str(DEMO_NOTES)]]  # fmt: skip
    for value in values:
        for command in rng.sample(commands, 3):
            make.add("db", f"--db {value[:40]!r}", ["--db", value, *command], folder)
    for command in commands:
        make.add(
            "db",
            "another program's SQLite file",
            ["--db", str(other), *command],
            folder,
            store=other,
            always_unchanged=True,
        )


def _damaged_copy(seed: Path, target: Path, rng: random.Random, kind: int) -> str:
    data = bytearray(seed.read_bytes())
    if kind == 0:
        cut = rng.randrange(1, len(data))
        target.write_bytes(bytes(data[:cut]))
        return f"truncated at {cut}"
    if kind == 1:
        spot = rng.randrange(100, len(data) - 200)
        data[spot : spot + 200] = rng.randbytes(200)
        target.write_bytes(bytes(data))
        return f"200 random bytes at {spot}"
    if kind == 2:
        data[:100] = bytes(100)
        target.write_bytes(bytes(data))
        return "header zeroed"
    page = 4096 * rng.randrange(1, max(2, len(data) // 4096))
    data[page : page + 4096] = bytes(4096)
    target.write_bytes(bytes(data))
    return f"page at {page} zeroed"


def store_cases(make: Maker, rng: random.Random, n: int) -> None:
    commands = [["events"], ["report", "1"], ["export", "1", "--format", "csv", "-o", "out.csv"],
                ["export", "1"], ["check"], ["claims", "list"], ["import", str(DEMO_NOTES)],
                ["members", "list"], ["backup"]]  # fmt: skip
    for i in range(n):
        folder = make.folder("store")
        store = folder / "sendtui.db"
        how = _damaged_copy(make.seed.store, store, rng, i % 4)
        command = rng.choice(commands)
        make.add(
            "store", f"damaged store ({how})", ["--db", str(store), *command], folder, store=store
        )
    for suffix in ("", "-wal", "-shm", "-journal", ".outbox"):  # exports over the store
        folder = make.folder("store")
        store = folder / "sendtui.db"
        argv = ["--db", str(store), "export", "1", "--format", "csv", "-o", f"{store}{suffix}"]
        make.add("store", f"export over the store{suffix}", argv, folder, store=store)


CATEGORIES: list[tuple[str, Callable[..., None], int]] = [
    ("notes", notes_cases, 260),
    ("config", config_cases, 200),
    ("csv", csv_cases, 220),
    ("dump", dump_cases, 180),
    ("cli", cli_cases, 250),
    ("store", store_cases, 80),
]


def all_cases(seed: Seed, rng: random.Random, case_type: type, *, scale: float = 1.0) -> list:
    make = Maker(seed, case_type)
    for _name, generate, count in CATEGORIES:
        generate(make, rng, max(3, int(count * scale)))
    db_cases(make, rng)
    return make.cases
