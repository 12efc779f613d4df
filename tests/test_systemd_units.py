"""deploy/systemd: the units of the web app, the Celery worker and beat, checked by
``systemd-analyze verify`` (systemd does not run on these machines, but its checker does)
with the install path and the environment file pointed at this checkout."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
UNITS = sorted((PROJECT / "deploy" / "systemd").glob("*.service"))
INSTALL_PATH = "/opt/casework"
ENVIRONMENT_FILE = "/etc/casework/casework.env"


def _here(unit: Path, folder: Path) -> Path:
    """``unit`` with its paths pointed at this checkout, written into ``folder``."""
    text = unit.read_text().replace(INSTALL_PATH, str(PROJECT))
    text = text.replace(ENVIRONMENT_FILE, str(folder / "casework.env"))
    copy = folder / unit.name
    copy.write_text(text)
    return copy


def test_there_is_a_unit_for_the_web_app_the_worker_and_beat() -> None:
    assert [unit.name for unit in UNITS] == [
        "casework-beat.service",
        "casework-web.service",
        "casework-worker.service",
    ]


@pytest.mark.parametrize("unit", UNITS, ids=lambda unit: unit.name)
def test_systemd_accepts_the_unit(unit: Path, tmp_path: Path) -> None:
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed here (CI has it)")
    (tmp_path / "casework.env").write_text("")
    result = subprocess.run(
        ["systemd-analyze", "verify", str(_here(unit, tmp_path))],
        capture_output=True,
        text=True,
        timeout=60,
    )
    # verify exits 0 on an unknown key or a bad value, and says so: any output is a failure.
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


def test_the_web_app_runs_gunicorn_with_the_repositorys_config() -> None:
    web = (PROJECT / "deploy" / "systemd" / "casework-web.service").read_text()
    assert "gunicorn -c deploy/gunicorn.conf.py casemgmt.wsgi" in web
