"""deploy/gunicorn.conf.py: gunicorn accepts it with production settings, and its access log
carries no query string."""

from __future__ import annotations

import runpy
from pathlib import Path

from tests.test_deploy_settings import _run

CONFIG = Path(__file__).resolve().parent.parent / "deploy" / "gunicorn.conf.py"


def test_gunicorn_accepts_the_config_and_loads_the_app() -> None:
    result = _run(["-m", "gunicorn", "--check-config", "-c", str(CONFIG), "casemgmt.wsgi"])
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_access_log_leaves_out_query_strings() -> None:
    fmt = runpy.run_path(str(CONFIG))["access_log_format"]
    assert "%(U)s" in fmt
    assert "%(r)s" not in fmt and "%(q)s" not in fmt


def test_workers_recycle_and_time_out() -> None:
    config = runpy.run_path(str(CONFIG))
    assert config["max_requests"] > 0 < config["max_requests_jitter"]
    assert config["timeout"] == 30
