"""`sendtui capture EVENT --group G`: capture-syntax lines from standard input, each saved as
it arrives, exactly as the capture line saves it (for scripts, tests and load tests)."""

from __future__ import annotations

import argparse
import sys
import threading
import time
from typing import Any

from sendtui.config import Config
from sendtui.errors import SendtuiError
from sendtui.text import printable

ORDER = 15  # after `import` in `sendtui --help`
DRAIN_WAIT_S = 60.0  # at the end, how long to wait for points the store was too busy for


def register(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    cap = commands.add_parser(
        "capture",
        parents=[common],
        help="save capture-syntax lines from standard input as points",
        description="Read lines in the capture syntax (as typed on the capture screen: "
        "'? question #2', '## heading', two spaces a level for sub-points) from standard "
        "input and save each as it arrives. Prints one line per saved point (id, kind, "
        "text); a refused line is reported with its number and the rest go on; the exit "
        "status is 2 if any line was refused. The group and topic are created if missing "
        "(names compared ignoring case and accents' forms).",
    )
    cap.add_argument("event", metavar="EVENT", help="the event's id or title")
    cap.add_argument("--group", required=True, metavar="G", help="discussion group")
    cap.add_argument("--topic", metavar="T", help="topic in the group (optional)")
    cap.add_argument("--heading", default="", metavar="H", help="heading for the first points")
    cap.set_defaults(handler=cmd_capture)


def cmd_capture(args: argparse.Namespace, config: Config) -> int:
    from sendtui.services.bootstrap import open_store
    from sendtui.services.capture import CaptureSession, Tags, last_root_id
    from sendtui.services.capture_queue import shared_queue
    from sendtui.services.events import EventService

    opened = open_store(config)
    store = opened.store
    out = _Printer()
    try:
        events = EventService(store)
        event = events.find(args.event)
        assert event.id is not None
        group = events.add_group(event.id, args.group)
        topic = events.add_topic(group.id, args.topic) if args.topic else None
        syntax = events.syntax_for(event.id, config.capture.kind_marks.as_dict())
        tags = Tags(store.reader, event.id)
        # Other runs may share the outbox: this command answers for its own lines only.
        queue = shared_queue(store, stamp=tags.stamps, adopt=False)
        queue.on_saved = lambda pending, done: out.saved(pending, done.id)
        queue.start()
        session = CaptureSession(
            syntax,
            tags,
            queue.save,
            event_id=event.id,
            group_id=group.id,
            topic_id=topic.id if topic else None,
            heading=args.heading.strip(),
            note_taker=config.capture.note_taker,
            last_root=last_root_id(store.reader, event.id, group.id, topic.id if topic else None),
        )
        refused = 0
        for number, raw in enumerate(_lines(sys.stdin), 1):
            if not raw.strip():
                continue
            try:
                taken = session.take(raw)
            except SendtuiError as exc:
                refused += 1
                out.error(f"line {number}: {printable(exc.message)}")
                continue
            if taken.committed is not None and taken.pending is not None:
                out.saved(taken.pending, taken.committed.id)
        deadline = time.monotonic() + DRAIN_WAIT_S
        while queue.waiting and time.monotonic() < deadline:
            time.sleep(0.02)
        if queue.waiting:
            out.error(
                f"{queue.waiting} points are still waiting for the database; they are kept "
                f"in {queue.outbox.path} and saved the next time sendtui runs."
            )
            refused += 1
        queue.stop()
    finally:
        store.close()
    return 2 if refused else 0


def _lines(stream: Any):
    """Lines as they arrive, split only on \\n, \\r\\n and \\r (as an editor counts them)."""
    pending = ""
    while True:
        chunk = stream.readline()
        if not chunk:
            break
        pending += chunk
        *complete, pending = pending.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        yield from complete
    if pending:
        yield pending


class _Printer:
    """One output line per saved point, from the main thread or the writer thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()

    def saved(self, pending: dict[str, Any], point_id: int) -> None:
        with self._lock:
            sys.stdout.write(f"{point_id}\t{pending['kind']}\t{printable(pending['text'])}\n")
            sys.stdout.flush()

    def error(self, message: str) -> None:
        with self._lock:
            sys.stderr.write(message + "\n")
            sys.stderr.flush()
