"""Scheme files a forum drops in are read by the same rules as config.toml."""

from __future__ import annotations

from pathlib import Path

import pytest


def test_hostile_scheme_files_are_one_message(tmp_path: Path) -> None:
    """A forum's own scheme file nested thousands deep, with a huge number, with a byte-order
    mark, or a pipe in its place: one ReferenceDataError (or accepted), never a traceback or
    a hang."""
    import os

    from sendtui.errors import ReferenceDataError
    from sendtui.services.reference import load_scheme

    deep = tmp_path / "deep.toml"
    deep.write_text("x = " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    huge = tmp_path / "huge.toml"
    huge.write_text("x = " + "9" * 5000 + "\n", encoding="utf-8")
    pipe = tmp_path / "pipe.toml"
    os.mkfifo(pipe)
    for path in (deep, huge, pipe):
        with pytest.raises(ReferenceDataError):
            load_scheme(path)
    bom = tmp_path / "bom-scheme.toml"
    bom.write_bytes(
        b'\xef\xbb\xbfcode = "bom-scheme"\ntitle = "With a BOM"\nsource = "Notepad"\n'
        b'[[chapters]]\ncode = "0"\ntitle = "General"\nkeywords = []\n'
    )
    assert load_scheme(bom).code == "bom-scheme"


@pytest.mark.parametrize("code", ["²", "٣", "9" * 5000])
def test_chapter_codes_are_ascii_digits(tmp_path: Path, code: str) -> None:
    from sendtui.errors import ReferenceDataError
    from sendtui.services.reference import load_scheme

    path = tmp_path / "odd-codes.toml"
    path.write_text(
        f'code = "odd-codes"\ntitle = "Odd"\nsource = "test"\n'
        f'[[chapters]]\ncode = "{code}"\ntitle = "General"\nkeywords = []\n',
        encoding="utf-8",
    )
    with pytest.raises(ReferenceDataError, match="digits in quotes"):
        load_scheme(path)
