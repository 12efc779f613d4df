"""How Celery delivers tasks (casemgmt/settings.py): late acknowledgement, one message a worker,
and a visibility timeout longer than the longest task."""

from __future__ import annotations

from casemgmt.celery import app


def test_a_message_is_acknowledged_after_its_task_ran() -> None:
    assert app.conf.task_acks_late is True


def test_a_message_of_a_worker_that_died_goes_back_to_the_queue() -> None:
    assert app.conf.task_reject_on_worker_lost is True


def test_a_worker_reserves_one_message_at_a_time() -> None:
    assert app.conf.worker_prefetch_multiplier == 1


def test_the_broker_waits_longer_than_the_longest_task_before_redelivering() -> None:
    visibility = app.conf.broker_transport_options["visibility_timeout"]
    assert visibility > app.conf.task_time_limit > app.conf.task_soft_time_limit
