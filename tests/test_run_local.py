"""``manage.py run_local``: what it runs, in what order, and that Celery stops with the server.

``call_command`` and ``subprocess.Popen`` are replaced, so no server, database or Celery
process starts here.
"""

from __future__ import annotations

import io
import socket
import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command as real_call_command
from django.db import connection

from casemgmt.management.commands import run_local


class FakeProcess:
    started: list[FakeProcess] = []

    def __init__(self, command: list[str]) -> None:
        self.command = command
        self.returncode: int | None = None
        FakeProcess.started.append(self)

    def poll(self) -> int | None:
        return self.returncode

    def terminate(self) -> None:
        self.returncode = -15

    def kill(self) -> None:
        self.returncode = -9

    def wait(self, timeout: float | None = None) -> int:
        assert self.returncode is not None, "waited on a process that was never stopped"
        return self.returncode


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, ...]]:
    """Commands run_local calls, in order; runserver returns at once as after Ctrl-C."""
    recorded: list[tuple[Any, ...]] = []

    def fake_call_command(name: str, *args: Any, **options: Any) -> None:
        recorded.append((name, *args))

    FakeProcess.started = []
    monkeypatch.setattr(run_local, "call_command", fake_call_command)
    monkeypatch.setattr(run_local, "refuse_privileged_role", lambda: None)
    monkeypatch.setattr(run_local.subprocess, "Popen", FakeProcess)
    monkeypatch.delenv("RUN_MAIN", raising=False)
    return recorded


def _run() -> str:
    out = io.StringIO()
    real_call_command("run_local", stdout=out)
    return out.getvalue()


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_it_migrates_seeds_and_serves_on_port_8000(
    calls: list[tuple[Any, ...]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(run_local, "redis_answers", lambda url: False)
    output = _run()
    assert calls == [("migrate",), ("seed_demo",), ("runserver", "127.0.0.1:8000")]
    assert "Casework is at http://127.0.0.1:8000" in output


def test_it_migrates_as_the_tables_owner_and_seeds_as_the_apps_role(
    calls: list[tuple[Any, ...]], monkeypatch: pytest.MonkeyPatch
) -> None:
    roles: dict[str, str] = {}

    def record_role(name: str, *args: Any, **options: Any) -> None:
        roles[name] = connection.settings_dict["USER"]

    monkeypatch.setattr(run_local, "redis_answers", lambda url: False)
    monkeypatch.setattr(run_local, "call_command", record_role)
    _run()
    assert roles["migrate"] == settings.DATABASE_ROLES["owner"]["USER"]
    assert roles["seed_demo"] == settings.DATABASE_ROLES["app"]["USER"]


def test_it_starts_a_celery_worker_and_beat_when_redis_answers(
    calls: list[tuple[Any, ...]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(run_local, "redis_answers", lambda url: True)
    _run()
    assert [p.command[2:4] for p in FakeProcess.started] == [
        ["casemgmt", "worker"],
        ["casemgmt", "beat"],
    ]


def test_it_stops_celery_when_the_server_exits(
    calls: list[tuple[Any, ...]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(run_local, "redis_answers", lambda url: True)
    _run()
    assert [p.returncode for p in FakeProcess.started] == [-15, -15]


def test_it_stops_celery_when_the_server_is_interrupted(
    calls: list[tuple[Any, ...]], monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(name: str, *args: Any, **options: Any) -> None:
        if name == "runserver":
            raise KeyboardInterrupt

    monkeypatch.setattr(run_local, "redis_answers", lambda url: True)
    monkeypatch.setattr(run_local, "call_command", interrupted)
    with pytest.raises(KeyboardInterrupt):
        _run()
    assert [p.returncode for p in FakeProcess.started] == [-15, -15]


def test_it_says_why_celery_is_not_started_when_redis_does_not_answer(
    calls: list[tuple[Any, ...]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(run_local, "redis_answers", lambda url: False)
    output = _run()
    assert FakeProcess.started == []
    assert "Celery is not started: Redis does not answer" in output


def test_it_only_serves_in_the_autoreloader_child(
    calls: list[tuple[Any, ...]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RUN_MAIN", "true")
    _run()
    assert calls == [("runserver", "127.0.0.1:8000")]
    assert FakeProcess.started == []


def test_it_finds_no_redis_on_a_closed_port() -> None:
    assert not run_local.redis_answers(f"redis://127.0.0.1:{_closed_port()}/0")


def test_it_finds_no_redis_behind_another_kind_of_url() -> None:
    assert not run_local.redis_answers("amqp://guest:guest@127.0.0.1:5672//")


def test_it_runs_the_celery_of_this_virtualenv() -> None:
    worker, beat = run_local.celery_commands()
    celery = str(Path(sys.executable).parent / "celery")
    assert worker[:4] == [celery, "-A", "casemgmt", "worker"]
    assert beat[:4] == [celery, "-A", "casemgmt", "beat"]
