"""How a lower app tells the apps above it that something happened.

Apps depend one way (``accounts`` ← ``clients`` ← ``serviceplans`` ← ``referrals`` ←
``supervision`` ← the apps and pages above them): a lower app never imports a higher one. When
a change in a lower app needs a reaction from a higher one (the compliance engine re-evaluates
an enrollment whose records changed; billing draws authorization units down when a contact is
recorded), the lower app's service publishes an event, a small frozen dataclass defined in the
lower app's ``events.py``, and the higher app subscribes to it in its ``AppConfig.ready()``.

A subscriber runs either

- **in the transaction** (the default): at once, inside the publishing service's transaction,
  so what it writes commits or rolls back with the change, and an exception it raises (a
  ``ValidationError``, say) refuses the whole change; or
- **on commit** (``on_commit=True``): once the transaction commits, and never if it rolls back;
  the place to queue a Celery task.

This is the one mechanism for reactions across apps; there are no Django signals between apps.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import partial
from typing import Any, TypeVar

from django.db import transaction

E = TypeVar("E")

Handler = Callable[[Any], None]

_in_transaction: defaultdict[type, list[Handler]] = defaultdict(list)
_on_commit: defaultdict[type, list[Handler]] = defaultdict(list)


def subscribe(
    event_type: type[E], handler: Callable[[E], None], *, on_commit: bool = False
) -> None:
    """Call ``handler(event)`` for every ``event_type`` published from now on. Subscribing the
    same handler twice subscribes it once."""
    handlers = (_on_commit if on_commit else _in_transaction)[event_type]
    if handler not in handlers:
        handlers.append(handler)


def publish(event: object) -> None:
    """Run the in-transaction subscribers of ``type(event)`` now, in subscription order, and
    schedule the on-commit ones for when the current transaction commits."""
    for handler in _in_transaction[type(event)]:
        handler(event)
    for handler in _on_commit[type(event)]:
        transaction.on_commit(partial(handler, event))


# --- Interactive requests ---------------------------------------------------------------------

_interactive: ContextVar[bool] = ContextVar("reactions_interactive", default=False)


@contextmanager
def interactive() -> Iterator[None]:
    """Mark what runs inside as a person's save through the web pages, who is waiting for the
    page to show its consequences (the caseload row's flags after a contact). A subscriber that
    would otherwise defer its work to a worker may read ``is_interactive()`` and do it at once,
    for the one record changed; the API, the nightly run and management commands are not
    interactive, and stay on the workers (casemgmt.middleware.InteractiveRequestMiddleware)."""
    token = _interactive.set(True)
    try:
        yield
    finally:
        _interactive.reset(token)


def is_interactive() -> bool:
    return _interactive.get()
