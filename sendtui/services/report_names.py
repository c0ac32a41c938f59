"""The reports a person can ask for, by name: what `sendtui report --by` and the tallies
screen offer. A module of its own, with no imports, so the command line can list the names
without loading the counting (sendtui.services.reports)."""

from __future__ import annotations

# What points can be counted by, in the order the tallies screen lists them.
BY: dict[str, str] = {
    "chapter": "By chapter",
    "marker": "By marker (coverage)",
    "group": "By group",
    "kind": "By kind",
    "group-chapter": "Group × chapter",
    "chapter-kind": "Chapter × kind",
}
