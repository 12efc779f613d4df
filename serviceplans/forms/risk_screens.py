"""The form of the readiness, risk and adherence screen. It shapes the input; the service
(serviceplans.services.risk_screen_record) decides."""

from __future__ import annotations

from typing import Any

from django import forms

from casemgmt.dates import today
from clients.forms.widgets import DATE_INPUT
from serviceplans.models import RISK_ITEM_NAMES, RiskScreen


class RiskScreenForm(forms.ModelForm):
    """Readiness (stage of change), the six risk items, and treatment adherence."""

    class Meta:
        model = RiskScreen
        fields = [
            "screened_on",
            "mental_health_stage",
            "substance_use_stage",
            *RISK_ITEM_NAMES,
            "medication_adherence",
            "appointment_adherence",
            "notes",
        ]
        widgets = {"screened_on": DATE_INPUT, "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("screened_on", today())
        super().__init__(*args, **kwargs)

    def _post_clean(self) -> None:
        # The service fills in the enrollment and author and runs the model's checks.
        pass
