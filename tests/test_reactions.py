"""casemgmt.reactions: how a lower app makes a higher one react, in its transaction or on
commit."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, make_dataclass

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import Region
from casemgmt.reactions import publish, subscribe

pytestmark = pytest.mark.django_db


@pytest.fixture
def event_type() -> type:
    """An event type of this test alone, so that no subscriber of another test hears it."""
    return make_dataclass("SomethingChanged", [("record_id", int)], frozen=True)


def recorder(heard: list[object]) -> Callable[[object], None]:
    return heard.append


def test_it_runs_an_in_transaction_subscriber_at_once(event_type: type) -> None:
    heard: list[object] = []
    subscribe(event_type, recorder(heard))
    publish(event_type(record_id=7))
    assert heard == [event_type(record_id=7)]


def test_a_refusal_in_the_transaction_rolls_the_change_back(event_type: type) -> None:
    def refuse(event: object) -> None:
        raise ValidationError("Refused by the app above.")

    subscribe(event_type, refuse)
    with pytest.raises(ValidationError), transaction.atomic():
        Region.objects.create(name="Northern")
        publish(event_type(record_id=1))
    assert not Region.objects.filter(name="Northern").exists()


def test_it_runs_an_on_commit_subscriber_only_once_the_transaction_commits(
    event_type: type, django_capture_on_commit_callbacks
) -> None:
    heard: list[object] = []
    subscribe(event_type, recorder(heard), on_commit=True)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        publish(event_type(record_id=3))
        assert heard == []
    assert len(callbacks) == 1
    assert heard == [event_type(record_id=3)]


def test_it_drops_an_on_commit_subscriber_when_the_change_rolls_back(
    event_type: type, django_capture_on_commit_callbacks
) -> None:
    heard: list[object] = []
    subscribe(event_type, recorder(heard), on_commit=True)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                publish(event_type(record_id=4))
                raise RuntimeError("the service failed")
        except RuntimeError:
            pass
    assert callbacks == []
    assert heard == []


def test_it_subscribes_the_same_handler_once(event_type: type) -> None:
    heard: list[object] = []
    handler = recorder(heard)
    subscribe(event_type, handler)
    subscribe(event_type, handler)
    publish(event_type(record_id=5))
    assert len(heard) == 1


def test_it_runs_subscribers_in_the_order_they_subscribed(event_type: type) -> None:
    heard: list[str] = []
    subscribe(event_type, lambda event: heard.append("first"))
    subscribe(event_type, lambda event: heard.append("second"))
    publish(event_type(record_id=6))
    assert heard == ["first", "second"]


@dataclass(frozen=True)
class UnheardOf:
    record_id: int


def test_an_event_nobody_subscribed_to_does_nothing() -> None:
    publish(UnheardOf(record_id=8))
