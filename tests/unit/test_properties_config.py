"""Any config.toml gives a configuration or one ConfigError, never another exception."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from sendtui.config import Config, load_config
from sendtui.errors import ConfigError

KEYS = st.sampled_from(
    [
        "[store]", "[forum]", "[capture]", "[capture.kind_marks]", "[capture.kind_words]",
        "[claims]", "[[claims.grades]]", "[keys]", "[reference]", "[minutes]", "[ui]",
        "database", "busy_timeout_ms", "name", "default_scheme", "question", "folders",
        "template", "theme", "car_threshold_miles", "flag_older_than_days", "retention_years",
        "starts", "per_hour", '"capture.undo"', "wat",
    ]
)  # fmt: skip
VALUES = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.sampled_from(
        [
            '""',
            '"x"',
            '"٣"',
            '"~nobody_here/x"',
            '"."',
            '"postgresql://u@h/d"',
            "nan",
            "inf",
            "true",
            "[]",
            "[1, 2]",
            "{a = 1}",
            "2025-04-06",
            "0001-01-01",
            "9999-12-31",
            '"1e999"',
            '"12.50"',
            '"\\u0000"',
            '"\\u001b]0;x\\u0007"',
            "9" * 5000,
            "[" * 50 + "]" * 50,
        ]
    ),
    st.text(max_size=10).map(lambda t: '"' + t.replace("\\", "").replace('"', "") + '"'),
)
LINES = st.one_of(
    KEYS,
    st.tuples(KEYS, VALUES).map(lambda kv: f"{kv[0].strip('[]')} = {kv[1]}"),
    st.text(max_size=20),
)


@given(st.lists(LINES, max_size=12), st.sampled_from([b"", b"\xef\xbb\xbf"]))
@settings(max_examples=300, deadline=None)
def test_any_config_file_gives_a_config_or_one_config_error(lines: list[str], bom: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "config.toml"
        path.write_bytes(bom + "\n".join(lines).encode("utf-8", "surrogatepass"))
        try:
            config = load_config(path)
        except ConfigError as exc:
            assert exc.message.startswith(str(path)) or "store.database" in exc.message
        else:
            assert isinstance(config, Config)
            assert config.database is not None


@given(st.binary(max_size=300))
@settings(max_examples=200, deadline=None)
def test_any_bytes_give_a_config_or_one_config_error(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "config.toml"
        path.write_bytes(data)
        try:
            load_config(path)
        except ConfigError as exc:
            assert str(path) in exc.message or "store.database" in exc.message


@given(st.text(max_size=60))
@settings(max_examples=300, deadline=None)
def test_any_db_value_gives_a_config_or_one_config_error(value: str) -> None:
    try:
        config = load_config(None, database=value)
    except ConfigError as exc:
        assert exc.message.startswith("--db: ")
    else:
        assert config.database is not None
