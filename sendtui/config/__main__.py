"""`python -m sendtui.config`: print config.toml's keys as the Markdown table in README.md."""

from __future__ import annotations

import msgspec

from sendtui.config import Config, field_docs
from sendtui.config.base import Section

INTERNAL = {"base_dir", "source"}


def rows(cls: type, prefix: str = "") -> list[tuple[str, str, str, str]]:
    found = []
    for info in msgspec.structs.fields(cls):
        if info.name in INTERNAL:
            continue
        doc = " ".join(field_docs(cls).get(info.name, "").split())
        if isinstance(info.type, type) and issubclass(info.type, Section):
            found += rows(info.type, f"{prefix}{info.name}.")
            continue
        if info.default is not msgspec.NODEFAULT:
            default = info.default
        elif info.default_factory is not msgspec.NODEFAULT:
            default = info.default_factory()
        else:
            default = ""
        shown = f'"{default}"' if isinstance(default, str) else repr(default)
        table = prefix.rstrip(".") or "(top level)"
        found.append((table, info.name, shown, doc))
    return found


def main() -> None:
    print("| table | key | default | meaning |")
    print("| --- | --- | --- | --- |")
    for table, key, default, doc in rows(Config):
        print(f"| `[{table}]` | `{key}` | `{default}` | {doc} |")


if __name__ == "__main__":
    main()
