"""Table models (SQLModel) and domain vocabularies. The bottom layer: imports nothing above.

Table classes are imported on first use (PEP 562), so `sendtui.models.kinds` and the fast
start-up path never pay for importing SQLModel.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

_WHERE = {
    "Event": "event", "Group": "event", "Topic": "event",
    "Point": "point", "PointChapter": "point", "PointMarker": "point", "PointConflict": "point",
    "Chapter": "reference", "Marker": "reference", "Scheme": "reference",
    "UiState": "state", "StoreMeta": "state",
    "Attendee": "attendance", "Apology": "attendance", "ActionItem": "attendance",
    "AuditEntry": "claims", "Claim": "claims", "ClaimItem": "claims", "ClaimStatus": "claims",
    "Member": "claims", "PayTo": "claims",
    "Kind": "kinds", "MarkerLevel": "kinds",
    "PointTally": "tally", "TallyPause": "tally",
}  # fmt: skip

__all__ = [
    "ActionItem", "Apology", "Attendee", "AuditEntry", "Chapter", "Claim", "ClaimItem",
    "ClaimStatus", "Event", "Group", "Kind", "Marker", "MarkerLevel", "Member", "PayTo", "Point",
    "PointChapter", "PointConflict", "PointMarker", "PointTally", "Scheme", "StoreMeta",
    "TallyPause", "Topic", "UiState", "load_all",
]  # fmt: skip


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'sendtui.models' has no attribute {name!r}")
    return getattr(import_module(f"sendtui.models.{module}"), name)


def load_all() -> None:
    """Import every table module, so SQLModel.metadata knows every table."""
    for module in set(_WHERE.values()):
        import_module(f"sendtui.models.{module}")


if TYPE_CHECKING:
    from sendtui.models.attendance import ActionItem, Apology, Attendee
    from sendtui.models.claims import AuditEntry, Claim, ClaimItem, ClaimStatus, Member, PayTo
    from sendtui.models.event import Event, Group, Topic
    from sendtui.models.kinds import Kind, MarkerLevel
    from sendtui.models.point import Point, PointChapter, PointConflict, PointMarker
    from sendtui.models.reference import Chapter, Marker, Scheme
    from sendtui.models.state import StoreMeta, UiState
    from sendtui.models.tally import PointTally, TallyPause
