"""The layers: textual only in sendtui/tui (and the CLI's app launcher)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "sendtui"


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def test_textual_is_imported_only_in_tui() -> None:
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if "textual" in imports_of(path) and path.relative_to(PACKAGE).parts[0] != "tui"
    ]
    assert offenders == []


def test_lower_layers_do_not_import_upper_ones() -> None:
    order = ["models", "store", "services", "exporters"]
    problems = []
    for path in PACKAGE.rglob("*.py"):
        layer = path.relative_to(PACKAGE).parts[0]
        if layer not in order:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.ImportFrom)
                and node.module
                and node.module.startswith("sendtui.")
            ):
                target = node.module.split(".")[1]
                if target in ("tui", "cli") or (
                    target in order and order.index(target) > order.index(layer)
                ):
                    problems.append(f"{path.relative_to(PACKAGE)} imports {node.module}")
    assert problems == []


def test_headless_modules_load_without_textual() -> None:
    code = (
        "import sys\n"
        "import sendtui.cli.points, sendtui.services.importer, sendtui.exporters.json_dump\n"
        "assert 'textual' not in sys.modules, sorted(m for m in sys.modules if 'textual' in m)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_first_screen_path_does_not_load_sqlmodel() -> None:
    """The app module and its first screen draw from the stdlib reader (fast start-up)."""
    code = (
        "import sys\nimport sendtui.tui.app, sendtui.tui.screens.events\n"
        "assert 'sqlmodel' not in sys.modules and 'sqlalchemy' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_the_tui_runs_no_sql() -> None:
    """Screens call services and readers; they never execute SQL or open ORM sessions."""
    import re

    sql = re.compile(
        r"\.execute(many)?\(|\.session\(\)|write_raw\(|\b(SELECT|INSERT|UPDATE|DELETE)\s"
    )
    offenders = [
        f"{path.relative_to(PACKAGE)}:{number}"
        for path in (PACKAGE / "tui").rglob("*.py")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if sql.search(line)
    ]
    assert offenders == []
