"""The sweep's worker: runs `sendtui.cli.main` in-process for one case per stdin line.

Each line is JSON {"argv": [...], "cwd": "..."}; the answer is one JSON line with the exit
code, stderr (clipped) and whether an exception escaped main(). The parent (sweep.py)
kills and restarts this process when a case takes too long, and counts a hang.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
import traceback


class Terminal(io.StringIO):
    """Output that says it is a terminal, so the CLI treats it as one: a control sequence
    from user text found here would have reached a real user's screen."""

    def isatty(self) -> bool:
        return True


def run_case(case: dict) -> dict:
    import sendtui.cli as cli

    cli.run_app = lambda *_a, **_k: 0  # never open the TUI
    out, err = Terminal(), Terminal()
    escaped = ""
    os.chdir(case["cwd"])
    saved = sys.stdin, sys.stdout, sys.stderr
    sys.stdin, sys.stdout, sys.stderr = io.StringIO(""), out, err
    try:
        try:
            code = cli.main(case["argv"])
        except SystemExit as exc:  # argparse (usage errors, --help)
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
        except BaseException:  # this is what the sweep looks for
            escaped = traceback.format_exc()
            code = -1
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved
    stderr = err.getvalue()
    return {
        "code": code,
        "err": stderr[-3000:],
        "traceback": escaped[-6000:] or ("" if "Traceback" not in stderr else stderr[-6000:]),
        "out_escape": any(
            bad in text for bad in ("\x1b]", "\x1b[2J", "\x07") for text in (out.getvalue(), stderr)
        ),
    }


def main() -> None:
    # Cases arrive on fd 0 and answers leave on fd 1; anything a command writes straight to
    # those descriptors (not through sys.stdout) goes to /dev/null instead of the protocol.
    cases = os.fdopen(os.dup(0), "r", encoding="utf-8")
    answers = os.fdopen(os.dup(1), "w", encoding="utf-8")
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(devnull, 1)
    for line in cases:
        case = json.loads(line)
        with contextlib.suppress(Exception):
            os.chdir(case["cwd"])
        result = run_case(case)
        answers.write(json.dumps(result) + "\n")
        answers.flush()


if __name__ == "__main__":
    main()
