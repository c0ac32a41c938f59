"""The JSON event dump as an export format (`sendtui export EVENT --format json`).

The dump itself is built in `sendtui.services.dump_build`, beside the code that reads it
back (`dump_check`) and merges it, so `sendtui sync` and the exporters write the same thing:
the event, its groups, topics and points, and its attendees, apologies and actions
(docs/dump-format.md describes the format).
"""

from __future__ import annotations

from sendtui.services.dump_build import FORMAT, VERSION, dump_event, iso_time, to_json

__all__ = ["FORMAT", "VERSION", "dump_event", "iso_time", "to_json"]
