"""Supervision writes: notes, follow-up tasks, case conferences, variances and regional
service-delivery plans. Every function takes the acting user, checks the scope through the
models' ``writable_by`` / ``visible_to``, raises ``ValidationError`` with field errors for bad
input and writes inside one transaction, so a refusal leaves nothing half-saved."""

from __future__ import annotations

# --- Notes, follow-up tasks, case conferences -------------------------------------------------

# --- Variances, regional plans ----------------------------------------------------------------
