"""One reader for every file a user names: refuses pipes, folders, devices, empty, huge and
binary files without blocking, with a message naming the file."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sendtui.errors import InputError
from sendtui.services.input_files import (
    InputFileError,
    decode_text,
    read_file_bytes,
    read_text_file,
)


def test_utf8_with_and_without_bom(tmp_path: Path) -> None:
    plain, bom = tmp_path / "a.txt", tmp_path / "b.txt"
    plain.write_text("Élodie\n", encoding="utf-8")
    bom.write_bytes(b"\xef\xbb\xbf" + "Élodie\n".encode())
    assert read_text_file(plain) == read_text_file(bom) == "Élodie\n"


def test_utf16_with_a_mark_as_notepad_saves_it(tmp_path: Path) -> None:
    path = tmp_path / "u.txt"
    path.write_bytes("\ufeffŁukasz\r\n".encode("utf-16-le"))
    assert read_text_file(path) == "Łukasz\r\n"
    path.write_bytes("\ufeffŁukasz".encode("utf-16-be"))
    assert read_text_file(path) == "Łukasz"


def test_not_utf8_names_the_line_unless_windows_fallback(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes(b"name,amount\nCaf\xe9,\x8012.50\n")
    with pytest.raises(InputFileError) as caught:
        read_text_file(path)
    assert (
        caught.value.message == f"{path}, line 2: is not UTF-8 text (byte 0xe9); save it as UTF-8"
    )
    assert caught.value.line == 2
    assert read_text_file(path, windows_fallback=True) == "name,amount\nCafé,€12.50\n"
    path.write_bytes(b"\x81\xff")  # undefined in Windows-1252 too
    with pytest.raises(InputFileError, match="not UTF-8"):
        read_text_file(path, windows_fallback=True)


def test_binary_empty_and_huge_files(tmp_path: Path) -> None:
    path = tmp_path / "x.bin"
    path.write_bytes(b"line one\nPK\x03\x04\x00\x00")
    with pytest.raises(InputFileError, match=r"line 2: contains NUL bytes"):
        read_text_file(path)
    path.write_bytes(b"")
    with pytest.raises(InputFileError, match="is empty"):
        read_text_file(path)
    assert read_text_file(path, allow_empty=True) == ""
    path.write_bytes(b"x" * 2000)
    with pytest.raises(InputFileError, match=r"too large \(2,000 bytes; the limit is 1,000"):
        read_text_file(path, max_bytes=1000)


def test_missing_folder_and_bad_names(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="no such file"):
        read_text_file(tmp_path / "absent.md")
    with pytest.raises(InputFileError, match="is a folder, not a file"):
        read_text_file(tmp_path)
    with pytest.raises(InputFileError, match="NUL character"):
        read_text_file(tmp_path / "a\x00b")
    with pytest.raises(InputFileError, match="too long"):
        read_text_file(tmp_path / ("x" * 300))
    with pytest.raises(InputFileError, match="user that does not exist"):
        read_text_file("~no_such_user_sendtui/notes.md")


def test_a_device_is_refused() -> None:
    with pytest.raises(InputFileError, match="a device, not a file"):
        read_text_file("/dev/zero")


def _finishes_quickly(call: Callable[[], object]) -> BaseException | None:
    caught: list[BaseException] = []

    def run() -> None:
        try:
            call()
        except BaseException as exc:  # handed back to the test
            caught.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    started = time.monotonic()
    thread.start()
    thread.join(5)
    assert not thread.is_alive(), "reading blocked"
    assert time.monotonic() - started < 2
    return caught[0] if caught else None


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "notes.md"
    os.mkfifo(fifo)
    error = _finishes_quickly(lambda: read_text_file(fifo))
    assert isinstance(error, InputFileError) and "named pipe (FIFO)" in error.message
    link = tmp_path / "link.md"
    link.symlink_to(fifo)
    error = _finishes_quickly(lambda: read_text_file(link))
    assert isinstance(error, InputFileError) and "named pipe" in error.message


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_permission_denied(tmp_path: Path) -> None:
    path = tmp_path / "secret.md"
    path.write_text("x")
    path.chmod(0)
    with pytest.raises(InputFileError, match="cannot be read"):
        read_text_file(path)


def test_it_is_an_input_error_naming_the_file(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        read_file_bytes(tmp_path / "\x1b[2Jevil.md")
    assert "\x1b" not in caught.value.message and "\\x1b[2Jevil.md" in caught.value.message


@given(st.binary(max_size=200))
def test_any_bytes_give_text_or_one_input_error(data: bytes) -> None:
    for fallback in (False, True):
        try:
            text = decode_text(data, "f.txt", windows_fallback=fallback)
        except InputFileError as exc:
            assert exc.message.startswith("f.txt")
        else:
            assert "\x00" not in text
            assert isinstance(text, str)
