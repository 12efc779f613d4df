"""The supervision API: flags, notes, variances, regional plans, through the same scoped
querysets and services as the web pages."""

from __future__ import annotations

# --- Flags ------------------------------------------------------------------------------------

# --- Notes, conferences -----------------------------------------------------------------------

# --- Variances, regional plans ----------------------------------------------------------------
