"""gunicorn's settings for Casework: ``gunicorn -c deploy/gunicorn.conf.py casemgmt.wsgi``.

Each value can be changed from the environment (``GUNICORN_*``) without editing this file.

- Workers: two per core and one more (gunicorn's advice for sync workers). A page waits on
  PostgreSQL, not on Python, for much of its time.
- Timeout 30 s: every page's budget is far below; a long export runs in Celery, not in a
  request. A worker stuck longer is killed and replaced.
- Recycling: a worker is replaced after about 1,000 requests (jittered, so that they do not
  all restart at once), which bounds any slow growth of memory.
- The access log leaves out query strings (``%(U)s`` is the path alone): a search's terms,
  a client's name among them, never reach a log file.
- Behind the reverse proxy on the same host: ``X-Forwarded-*`` is trusted from loopback only.
"""

from __future__ import annotations

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "1000"))
max_requests_jitter = max_requests // 10
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
# Requests larger than this are refused before Django sees them (the proxy refuses first).
limit_request_line = 4094
limit_request_fields = 100
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
# Remote address, time, method and path (no query string), status, bytes, microseconds.
access_log_format = '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(B)s %(D)s'
