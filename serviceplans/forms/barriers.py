"""The form of a draft plan's barrier to engagement. It shapes the input; the rules are
serviceplans.services'."""

from __future__ import annotations

from clients.forms.widgets import DATE_INPUT
from serviceplans.forms.plans import NOTE_INPUT, ShapeOnlyModelForm
from serviceplans.models import Barrier


class BarrierForm(ShapeOnlyModelForm):
    class Meta:
        model = Barrier
        fields = ["kind", "description", "strategy", "resolved_on"]
        widgets = {"strategy": NOTE_INPUT, "resolved_on": DATE_INPUT}
        labels = {"kind": "Barrier to engagement"}
