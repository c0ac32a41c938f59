"""Events, discussion groups and topics; reference data kept in step with data/*.toml."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from sqlmodel import Session, col, func, select

from sendtui.errors import InputError, NotFoundError
from sendtui.models import Chapter, Event, Group, Kind, Marker, Scheme, Topic
from sendtui.models.base import utcnow
from sendtui.services.event_lookup import find_event
from sendtui.services.names import clean_name
from sendtui.services.reference import sync_reference as sync_reference
from sendtui.services.syntax import CaptureSyntax
from sendtui.store.store import Store
from sendtui.text import name_key


def parse_date(value: str) -> dt.date | None:
    """A date typed as YYYY-MM-DD (blank for none)."""
    value = value.strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"“{value[:40]}” is not a date: type it as YYYY-MM-DD.") from None


class EventService:
    """Creating and finding events, groups and topics."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def schemes(self) -> list[Scheme]:
        with self.store.session() as s:
            return list(s.exec(select(Scheme).order_by(Scheme.code)))

    def create_event(
        self,
        title: str,
        *,
        scheme_code: str,
        date: dt.date | None = None,
        venue: str = "",
        subject: str = "",
        attendance: str = "",
    ) -> Event:
        title = clean_name(title, "event title")
        with self.store.write() as s:
            scheme = s.exec(select(Scheme).where(Scheme.code == scheme_code)).first()
            if scheme is None:
                known = ", ".join(x.code for x in s.exec(select(Scheme)))
                raise InputError(f"There is no chapter scheme '{scheme_code}' (known: {known}).")
            same = s.exec(
                select(Event).where(
                    Event.title_key == name_key(title),
                    Event.date == date if date is not None else col(Event.date).is_(None),
                )
            ).first()
            if same is not None:
                when = f" on {date.isoformat()}" if date else " without a date"
                raise InputError(
                    f"There is already an event “{same.title}”{when} (event {same.id}); "
                    "give this one another title or date."
                )
            event = Event(
                title=title,
                date=date,
                venue=venue.strip(),
                subject=subject.strip(),
                attendance=attendance.strip(),
                scheme_id=scheme.id,
            )
            s.add(event)
            s.flush()
            return event

    def update_event(self, event_id: int, **changes: object) -> Event:
        with self.store.write() as s:
            event = self._get(s, event_id)
            if "title" in changes:
                changes["title"] = clean_name(str(changes["title"]), "event title")
            for key, value in changes.items():
                setattr(event, key, value)
            with s.no_autoflush:  # look before the changed title is written
                clash = s.exec(
                    select(Event).where(
                        Event.title_key == name_key(event.title),
                        Event.date == event.date
                        if event.date is not None
                        else col(Event.date).is_(None),
                        Event.id != event.id,
                    )
                ).first()
            if clash is not None:
                raise InputError(
                    f"Event {clash.id} already has that title and date (“{clash.title}”)."
                )
            event.updated_at = utcnow()
            s.add(event)
            return event

    def get(self, event_id: int) -> Event:
        with self.store.session() as s:
            return self._get(s, event_id)

    @staticmethod
    def _get(s: Session, event_id: int) -> Event:
        event = s.get(Event, event_id)
        if event is None:
            raise NotFoundError(f"There is no event {event_id}.")
        return event

    def find(self, id_or_title: str) -> Event:
        """An event by id, by exact title, or by a title that only one event contains (the
        rule is `event_lookup.find_event`'s)."""
        found = find_event(self.store.reader, id_or_title)
        with self.store.session() as s:
            event = s.get(Event, found.id)
        if event is None:  # deleted between the two reads
            raise NotFoundError(f"There is no event {found.id}.")
        return event

    def scheme_of(self, event_id: int) -> Scheme:
        with self.store.session() as s:
            event = self._get(s, event_id)
            scheme = s.get(Scheme, event.scheme_id)
            assert scheme is not None  # a foreign key guarantees it
            return scheme

    def chapters(self, event_id: int) -> list[Chapter]:
        with self.store.session() as s:
            event = self._get(s, event_id)
            return list(
                s.exec(
                    select(Chapter)
                    .where(Chapter.scheme_id == event.scheme_id)
                    .order_by(col(Chapter.position))
                )
            )

    def markers(self) -> list[Marker]:
        with self.store.session() as s:
            return list(s.exec(select(Marker).order_by(col(Marker.position))))

    def syntax_for(self, event_id: int, marks: Mapping[Kind, str] | None = None) -> CaptureSyntax:
        scheme = self.scheme_of(event_id)
        return CaptureSyntax(
            marks,
            [c.code for c in self.chapters(event_id)],
            [m.code for m in self.markers()],
            scheme_name=scheme.code,
        )

    def add_group(
        self, event_id: int, name: str, *, facilitator: str = "", note_taker: str = ""
    ) -> Group:
        """A new group, or the existing one of that name (its details updated if given)."""
        name = clean_name(name, "group name")
        with self.store.write() as s:
            self._get(s, event_id)
            group = s.exec(
                select(Group).where(Group.event_id == event_id, Group.name_key == name_key(name))
            ).first()
            if group is None:
                count = s.exec(
                    select(func.count()).select_from(Group).where(Group.event_id == event_id)
                ).one()
                group = Group(event_id=event_id, name=name, position=count)
            if facilitator.strip():
                group.facilitator = facilitator.strip()
            if note_taker.strip():
                group.note_taker = note_taker.strip()
            s.add(group)
            s.flush()
            return group

    def add_topic(self, group_id: int, title: str) -> Topic:
        """A new topic in the group, or the existing one with that title."""
        title = clean_name(title, "topic")
        with self.store.write() as s:
            if s.get(Group, group_id) is None:
                raise NotFoundError(f"There is no group {group_id}.")
            topic = s.exec(
                select(Topic).where(Topic.group_id == group_id, Topic.title_key == name_key(title))
            ).first()
            if topic is None:
                count = s.exec(
                    select(func.count()).select_from(Topic).where(Topic.group_id == group_id)
                ).one()
                topic = Topic(group_id=group_id, title=title, position=count)
                s.add(topic)
                s.flush()
            return topic

    def group(self, group_id: int) -> Group:
        with self.store.session() as s:
            group = s.get(Group, group_id)
            if group is None:
                raise NotFoundError(f"There is no group {group_id}.")
            return group
