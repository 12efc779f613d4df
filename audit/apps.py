from django.apps import AppConfig


class AuditConfig(AppConfig):
    """The tamper-evident audit: a keyed chain of seals over the access log, the history
    tables and the accounting of disclosures (audit.services seals, audit.selectors verifies).
    Above every clinical app, since it reads their audit tables; imported by none of them, and
    nothing in a request waits on it."""

    name = "audit"
    verbose_name = "Audit chain"
