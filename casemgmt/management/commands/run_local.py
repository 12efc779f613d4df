"""``manage.py run_local`` (``make run``): the whole app on this machine, in one command.

Migrates (as the tables' owner), seeds the demo agency (idempotent), prints the demo logins,
starts a Celery worker and beat as child processes when Redis answers at
``CELERY_BROKER_URL``, then runs the development server on 127.0.0.1:8000. When the server
stops (Ctrl-C, or SIGTERM) the Celery children are stopped too.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any, NoReturn

import redis
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import autoreload

from casemgmt.database_roles import connected_as, refuse_privileged_role

ADDRESS = "127.0.0.1:8000"
REDIS_TIMEOUT_SECONDS = 1.0
CELERY_STOP_SECONDS = 10


def redis_answers(url: str) -> bool:
    """True when a Redis server at ``url`` answers PING within a second."""
    try:
        connection = redis.Redis.from_url(
            url, socket_connect_timeout=REDIS_TIMEOUT_SECONDS, socket_timeout=REDIS_TIMEOUT_SECONDS
        )
        try:
            return bool(connection.ping())
        finally:
            connection.close()
    except (redis.RedisError, OSError, ValueError):
        return False


def celery_commands() -> list[list[str]]:
    """The worker and beat, run with the celery executable of this interpreter's venv."""
    executable = Path(sys.executable).parent / "celery"
    celery = [str(executable)] if executable.exists() else [sys.executable, "-m", "celery"]
    return [
        [*celery, "-A", "casemgmt", "worker", "--loglevel", "INFO"],
        [*celery, "-A", "casemgmt", "beat", "--loglevel", "INFO"],
    ]


def stop_processes(processes: list[subprocess.Popen[bytes]]) -> None:
    """SIGTERM (Celery's warm shutdown), then SIGKILL whatever has not exited in time."""
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=CELERY_STOP_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _exit_on_sigterm(signum: int, frame: object) -> NoReturn:
    # Unwind through the ``finally`` below so the Celery children are stopped too.
    raise SystemExit(128 + signum)


class Command(BaseCommand):
    help = "Migrate, seed the demo agency, start Celery if Redis answers, and run the server."

    def handle(self, *args: Any, **options: Any) -> None:
        if os.environ.get(autoreload.DJANGO_AUTORELOAD_ENV) == "true":
            # runserver's autoreloader re-runs this command in a child process to serve;
            # the parent has already migrated, seeded and started Celery.
            call_command("runserver", ADDRESS)
            return
        previous_handler = signal.signal(signal.SIGTERM, _exit_on_sigterm)
        children: list[subprocess.Popen[bytes]] = []
        try:
            # As the tables' owner; the demo is seeded and served as the app's role, which
            # owns nothing (casemgmt.database_roles).
            with connected_as("owner"):
                call_command("migrate", interactive=False, verbosity=1, stdout=self.stdout)
            refuse_privileged_role()
            call_command("seed_demo", stdout=self.stdout)
            self.stdout.write(self.style.SUCCESS(f"Casework is at http://{ADDRESS}"))
            self._start_celery(children)
            call_command("runserver", ADDRESS)
        finally:
            if children:
                self.stdout.write("Stopping Celery ...")
                stop_processes(children)
            signal.signal(signal.SIGTERM, previous_handler)

    def _start_celery(self, children: list[subprocess.Popen[bytes]]) -> None:
        """Start the worker and beat into ``children`` (so a failed start still stops the
        other), unless Redis does not answer."""
        broker = settings.CELERY_BROKER_URL
        if not redis_answers(broker):
            self.stdout.write(
                self.style.WARNING(
                    f"Celery is not started: Redis does not answer at {broker}. "
                    "Pages work; background tasks will not run."
                )
            )
            return
        self.stdout.write(f"Starting a Celery worker and beat (broker {broker}) ...")
        for command in celery_commands():
            children.append(subprocess.Popen(command))
