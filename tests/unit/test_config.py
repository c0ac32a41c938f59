"""config.toml: defaults, overrides, and errors that name the file, line and key."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from sendtui.config import (
    Config,
    field_docs,
    find_key_line,
    hide_password,
    is_postgres_location,
    load_config,
)
from sendtui.config.base import Section
from sendtui.errors import ConfigError
from sendtui.paths import REPO_DIR


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_config_is_valid() -> None:
    config = load_config(REPO_DIR / "config.toml")
    assert config.database_path == (REPO_DIR / "data" / "sendtui.db").resolve()
    assert config.capture.kind_marks.question == "?"


def test_defaults_without_a_file() -> None:
    config = load_config(None)
    assert config.store.database == "data/sendtui.db"
    assert config.capture.default_scheme == "cop-2015"


def test_relative_paths_are_from_the_config_folder(tmp_path: Path) -> None:
    path = write(tmp_path, '[store]\ndatabase = "forum/notes.db"\n')
    assert load_config(path).database_path == tmp_path / "forum" / "notes.db"


def test_db_override(tmp_path: Path) -> None:
    path = write(tmp_path, '[store]\ndatabase = "a.db"\n')
    assert load_config(path, database=tmp_path / "b.db").database_path == tmp_path / "b.db"


def test_custom_kind_marks(tmp_path: Path) -> None:
    path = write(tmp_path, '[capture.kind_marks]\nquestion = "Q:"\n')
    assert load_config(path).capture.kind_marks.as_dict()["question"] == "Q:"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[forum\nname = 1\n", "not valid TOML"),
        ("[forum\nname = 1\n", "line 1"),
        ('[store]\ndatabse = "x"\n', "line 2: store.databse: unknown key"),
        ("[capture]\n\ndefault_scheme = 3\n", "line 3: capture.default_scheme"),
        (
            '[capture.kind_marks]\nquestion = "+"\n',
            "each kind needs a different",
        ),
        ('[capture.kind_marks]\nquestion = "#"\n', "cannot start with #"),
        ("[store]\nbusy_timeout_ms = -1\n", "line 2: store.busy_timeout_ms"),
        ('[keys]\n"not an id" = "x"\n', "keys"),
        ("wat = 1\n", "line 1: wat: unknown key"),
    ],
)
def test_broken_config_names_file_line_and_key(tmp_path: Path, text: str, expected: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(path) in caught.value.message
    assert expected in caught.value.message


def test_missing_and_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such config file"):
        load_config(tmp_path / "absent.toml")
    bad = tmp_path / "config.toml"
    bad.write_bytes(b'[forum]\nname = "Caf\xe9"\n')
    with pytest.raises(ConfigError, match=r"line 2: is not UTF-8 text \(byte 0xe9\)"):
        load_config(bad)


def test_find_key_line_handles_tables_and_dotted_keys() -> None:
    text = '[forum]\nname = "x"\n\n[capture.kind_marks]\nquestion = "?"\n[ui]\ntheme = "t"\n'
    assert find_key_line(text, ("capture", "kind_marks", "question")) == 5
    assert find_key_line(text, ("ui", "theme")) == 7
    assert find_key_line(text, ("capture", "kind_marks", "bogus")) == 4  # the enclosing table
    assert find_key_line(text, ("capture", "note_taker")) is None
    assert find_key_line(text, ("store",)) is None


def all_sections(cls: type, prefix: str = "") -> list[tuple[str, type, str]]:
    """(dotted key, Section class, field name) for every field, nested tables included."""
    import msgspec

    found = []
    for info in msgspec.structs.fields(cls):
        found.append((prefix + info.name, cls, info.name))
        if isinstance(info.type, type) and issubclass(info.type, Section):
            found += all_sections(info.type, f"{prefix}{info.name}.")
    return found


def test_every_field_is_documented() -> None:
    """Each config field carries a docstring (README's key list is built from them)."""
    missing = [key for key, cls, name in all_sections(Config) if not field_docs(cls).get(name)]
    assert missing == []


def test_readme_lists_every_key() -> None:
    """README's config table has a row for every key (python -m sendtui.config prints it)."""
    from sendtui.config.__main__ import rows

    readme = (REPO_DIR / "README.md").read_text(encoding="utf-8")
    missing = [
        f"[{table}] {key}"
        for table, key, _, _ in rows(Config)
        if f"| `[{table}]` | `{key}` |" not in readme
    ]
    assert missing == []


def test_reserved_keys_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="base_dir: unknown key"):
        load_config(write(tmp_path, 'base_dir = "/"\n'))


@pytest.mark.parametrize(
    "location",
    [
        "postgresql://forum@db.example/sendtui",
        "postgres://forum:secret@db.example:5433/sendtui?sslmode=require",
        "POSTGRESQL://postgres@/sendtui?host=/run/sock&port=5433",
        "host=/run/sock dbname=sendtui",
        "  dbname=sendtui user=forum",
    ],
)
def test_postgres_locations_are_kept_as_written(tmp_path: Path, location: str) -> None:
    assert is_postgres_location(location)
    path = write(tmp_path, f"[store]\ndatabase = {location!r}\n".replace("'", '"'))
    assert load_config(path).database == location
    assert load_config(None, database=location).database == location
    with pytest.raises(ConfigError, match="PostgreSQL"):
        _ = load_config(None, database=location).database_path


@pytest.mark.parametrize(
    "location", ["data/sendtui.db", "./dbname=x", "notes.db", "/tmp/a=b.db", "postgresql.db"]
)
def test_file_paths_are_not_postgres(tmp_path: Path, location: str) -> None:
    assert not is_postgres_location(location)
    config = load_config(None, database=tmp_path / location)
    assert config.database == config.database_path == (tmp_path / location).absolute()


def test_a_password_is_never_shown() -> None:
    config = load_config(None, database="postgresql://forum:s3cret@db.example/sendtui")
    with pytest.raises(ConfigError) as caught:
        _ = config.database_path
    assert "s3cret" not in caught.value.message and "forum:***@db.example" in caught.value.message
    config = load_config(None, database="host=db password=s3cret dbname=x")
    with pytest.raises(ConfigError) as caught:
        _ = config.database_path
    assert "s3cret" not in caught.value.message


@pytest.mark.parametrize(
    ("location", "expected"),
    [
        ("", "no database given"),
        ("   ", "no database given"),
        ("a\x00b.db", "NUL"),
        ("x" * 300 + ".db", "too long"),
        ("a/" * 2100 + "x.db", "too long"),
        ("~no_such_user_sendtui/x.db", "no such user"),
        ("\ud800.db", "not a valid file name"),
    ],
)
def test_unusable_db_locations_are_one_message(location: str, expected: str) -> None:
    with pytest.raises(ConfigError, match=expected) as caught:
        load_config(None, database=location, database_from="SENDTUI_DB")
    assert caught.value.message.startswith("SENDTUI_DB: ")


def test_db_that_is_a_folder_or_under_a_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="is a folder"):
        load_config(None, database=tmp_path)
    (tmp_path / "plain").write_text("x")
    with pytest.raises(ConfigError, match="is a file, not a folder"):
        load_config(None, database=tmp_path / "plain" / "sub" / "x.db")
    path = write(tmp_path, '\n[store]\ndatabase = "."\n')
    with pytest.raises(ConfigError, match=r"line 3: store.database: \. is a folder"):
        load_config(path)


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b'\xef\xbb\xbf[forum]\r\nname = "Notepad Forum"\r\n')
    assert load_config(path).forum.name == "Notepad Forum"
    path.write_bytes('[forum]\r\nname = "Unicode Forum"\r\n'.encode("utf-16"))  # with a mark
    assert load_config(path).forum.name == "Unicode Forum"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a = " + "[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ("a = " + "{b=" * 5000 + "1" + "}" * 5000, "nested too deeply"),
        ("[keys]\nx = " + "[" * 40 + "]" * 40, "line 2: keys.x: nested more than 32 deep"),
        ("[store]\nbusy_timeout_ms = " + "9" * 5000, "line 2: a number is far too long"),
        ("[store]\n\nbusy_timeout_ms = 9223372036854775808", "line 3: store.busy_timeout_ms"),
        (
            "[claims]\ncar_threshold_miles = 18446744073709551616",
            "line 2: claims.car_threshold_miles: this number is far too large",
        ),
        ("[claims]\ncar_threshold_miles = -9223372036854775809", "far too large"),
        ("[forum]\nname = nan", "line 2: forum.name: nan"),
        ("[store]\n" + "x" * 200_000 + " = 1", "line 2: store." + "x" * 10),
        ("[" + " " * 200_000 + "\n", "not valid TOML"),
    ],
)
def test_hostile_toml_is_one_message(tmp_path: Path, text: str, expected: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert caught.value.message.startswith(str(path))
    assert expected in caught.value.message


def test_a_pipe_folder_or_device_as_config_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "config.toml"
    os.mkfifo(fifo)
    with pytest.raises(ConfigError, match="named pipe"):  # would block forever if opened
        load_config(fifo)
    with pytest.raises(ConfigError, match="a folder, not a file"):
        load_config(tmp_path)
    with pytest.raises(ConfigError, match="a device, not a file"):
        load_config(Path("/dev/zero"))


def test_binary_or_huge_config(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b"PK\x03\x04\x00\x00\x08")
    with pytest.raises(ConfigError, match="NUL bytes: this is not a text file"):
        load_config(path)
    path.write_bytes(b"# " + b"x" * (2 * 2**20))
    with pytest.raises(ConfigError, match=r"too large \(2.0 MB; the limit is 1.0 MB\)"):
        load_config(path)


def test_key_lines_are_found_in_linear_time() -> None:
    text = "[" + " " * 200_000 + "x\n" + '"' + " " * 200_000 + "\n[store]\ndatabase = 1\n"
    started = time.perf_counter()
    assert find_key_line(text, ("store", "database")) == 4
    assert time.perf_counter() - started < 1
    assert find_key_line('[keys]\n"capture.undo" = "x"\n', ("keys", "capture.undo")) == 2
    assert find_key_line("a\x0bb\x85c\u2028\n[store]\n", ("store",)) == 2


def test_paths_naming_an_unknown_user_are_a_message(tmp_path: Path) -> None:
    path = write(tmp_path, '[reference]\nfolders = ["~no_such_user_sendtui/schemes"]\n')
    with pytest.raises(ConfigError, match="no such user"):
        load_config(path)
    path = write(tmp_path, '[minutes]\ntemplate = "~no_such_user_sendtui/t.docx"\n')
    with pytest.raises(ConfigError, match="no such user"):
        load_config(path)


@pytest.mark.parametrize(
    ("location", "shown"),
    [
        ("postgresql://forum:s3cret@db/x", "postgresql://forum:***@db/x"),
        ("postgresql://forum@db/x?password=s3cret&sslmode=require", "postgresql://forum@db/x?password=***&sslmode=require"),
        ("host=db password=s3cret dbname=x", "host=db password=*** dbname=x"),
        ("host=db password = 's3 cret' dbname=x", "host=db password = *** dbname=x"),
        ("postgresql://forum@db/x", "postgresql://forum@db/x"),
    ],
)  # fmt: skip
def test_hide_password(location: str, shown: str) -> None:
    assert hide_password(location) == shown
