"""Supervision reads: the supervisor dashboard, the review queue, flag lists, the variance
queue. Each is a fixed number of queries whatever the number of rows."""

from __future__ import annotations

# --- Dashboard, review queue, flags -----------------------------------------------------------

# --- Notes --------------------------------------------------------------------------------------

# --- Variances, regional plans ----------------------------------------------------------------
