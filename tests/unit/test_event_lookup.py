"""Naming an event on the command line: an empty or blank name names none (it used to match
every title, so a store of one event answered with it)."""

from __future__ import annotations

import pytest

from sendtui.errors import NotFoundError
from sendtui.services.event_lookup import find_event


@pytest.mark.parametrize("typed", ["", "   ", "\t", "\u3000", "\u00a0"])
def test_a_blank_name_names_no_event(store, event, typed: str) -> None:
    with pytest.raises(NotFoundError) as err:
        find_event(store.reader, typed)
    assert "Name the event" in err.value.message


def test_the_id_and_part_of_the_title_still_find_it(store, event) -> None:
    assert find_event(store.reader, str(event["event"])).id == event["event"]
    assert find_event(store.reader, "consult").id == event["event"]
