"""Supervision URLs. Each part has its own views module (dashboard_views, note_views,
variance_views), as referrals does."""

from django.urls import path  # noqa: F401  (each part adds its paths below)

app_name = "supervision"

urlpatterns: list = [
    # --- dashboard, flags ---
    # --- notes, conferences ---
    # --- variances, regional plans ---
]
