"""The Celery app. Settings come from Django's, under the ``CELERY_`` namespace."""

import os
from typing import Any

from celery import Celery
from celery.schedules import crontab
from celery.signals import beat_init, worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casemgmt.settings")

app = Celery("casemgmt")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
@beat_init.connect
def _refuse_a_privileged_database_role(**kwargs: Any) -> None:
    """A worker and beat, like the web app, refuse to run as a role that could rewrite the
    audit (casemgmt.database_roles). Celery's Django fixup has set Django up by now."""
    from casemgmt.database_roles import refuse_privileged_role

    refuse_privileged_role()


# Every periodic task, in one place and only here: beat reads no schedule from the database,
# and nothing in the admin changes it. However many beats run, one sends each run
# (casemgmt/beat.py). Times are in the agency's time zone (CELERY_TIMEZONE).
app.conf.beat_schedule = {
    "evaluate-compliance-nightly": {
        "task": "supervision.tasks.evaluate_compliance_nightly",
        "schedule": crontab(hour=2, minute=0),
    },
    # After the nightly evaluation, before the working day: each person's flag digest.
    "send-flag-digests-daily": {
        "task": "supervision.tasks.send_flag_digests_daily",
        "schedule": crontab(hour=6, minute=30),
    },
    # Unsaved contacts are kept 24 hours (workspace.models.ContactDraft); reads ignore older
    # ones, so hourly is often enough.
    "purge-contact-drafts-hourly": {
        "task": "workspace.tasks.purge_contact_drafts",
        "schedule": crontab(minute=15),
    },
    # Export files are kept 24 hours (exports.models.ExportJob); downloads refuse older ones.
    "purge-exports-hourly": {
        "task": "exports.tasks.purge_exports",
        "schedule": crontab(minute=45),
    },
    # The audit chain (audit/): new access-log, history and disclosure rows are sealed every
    # five minutes (the window in which the database's owner could change them unseen), and
    # the whole chain is verified each night, after the evaluation's history is written.
    "seal-audit-rows": {
        "task": "audit.tasks.seal_audit_rows",
        "schedule": crontab(minute="*/5"),
    },
    "verify-audit-nightly": {
        "task": "audit.tasks.verify_audit_nightly",
        "schedule": crontab(hour=3, minute=30),
    },
}
