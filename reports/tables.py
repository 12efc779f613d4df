"""The reports' exports (exports.tables): each builds, for a viewer and the page's query, the
rows its page shows, through the same form and the same selectors."""

from __future__ import annotations

from typing import Any

from django.http import QueryDict

from accounts.models import User
from casemgmt import dates
from exports.tables import Table, cleaned_data, holds_part2, register
from reports import activity
from reports import compliance_rates as rates
from reports.forms.activity import ActivityForm
from reports.forms.compliance import ComplianceDrillDownForm, ComplianceRatesForm

# The rates are counts per team, program or region, naming no client: no 42 CFR 2.32 notice.
# Every other export here carries it when a row comes from a Part 2 program (the activity
# log's counts too, erring on the side of the notice).
RATES_HOLD_PART2 = False


@register("reports.activity", filename="staff-activity")
def activity_table(viewer: User, query: QueryDict) -> Table:
    data = cleaned_data(ActivityForm.from_query(query, today=dates.today()))
    report = activity.activity_report(
        viewer=viewer, start=data["start"], end=data["end"], kind=data["period"], by=data["by"]
    )
    rows = activity.table_rows(report)
    return Table(
        headers=activity.table_headers(report),
        rows=rows,
        count=len(rows),
        part2=holds_part2(
            activity.contacts_between(viewer, start=data["start"], end=data["end"]),
            "enrollment__program",
        ),
    )


@register("reports.activity_contacts", filename="staff-activity-contacts")
def activity_contacts_table(viewer: User, query: QueryDict) -> Table:
    data = cleaned_data(ActivityForm.from_query(query, today=dates.today()))
    contacts = activity.contacts_between(viewer, start=data["start"], end=data["end"])
    count = contacts.count()
    return Table(
        headers=activity.CONTACT_HEADERS,
        rows=activity.contact_rows(contacts),
        count=count,
        part2=holds_part2(contacts, "enrollment__program"),
    )


def rates_headers(by: str) -> list[str]:
    headers = [rates.GROUPINGS[by], "Open enrollments"]
    for code in rates.STANDARDS:
        label = rates.STANDARD_LABELS[code]
        headers += [f"{label}: met", f"{label}: not met", f"{label}: excused", f"{label}: rate %"]
    return headers


def rates_rows(report: rates.RatesReport) -> list[list[Any]]:
    rows = []
    for group in [*report.groups, report.total]:
        row: list[Any] = [group.label, group.figures[rates.STANDARDS[0]].open]
        for code in rates.STANDARDS:
            figure = group.figures[code]
            row += [figure.met, figure.unmet, figure.excused, figure.percent]
        rows.append(row)
    return rows


@register("reports.compliance", filename="compliance-rates")
def compliance_table(viewer: User, query: QueryDict) -> Table:
    data = cleaned_data(ComplianceRatesForm.from_query(query, today=dates.today()))
    report = rates.rates_on(viewer=viewer, as_of=data["as_of"], by=data["by"])
    rows = rates_rows(report)
    return Table(
        headers=rates_headers(data["by"]), rows=rows, count=len(rows), part2=RATES_HOLD_PART2
    )


DRILL_DOWN_HEADERS = [
    "Client", "Record number", "Program", "Team", "Case manager", "Applied", "Due on",
    "Variance until",
]  # fmt: skip


def _drill_row(enrollment: Any) -> list[Any]:
    return [
        enrollment.client.display_name,
        enrollment.client.record_number,
        enrollment.program.name,
        enrollment.team.name,
        enrollment.case_manager.get_full_name() or enrollment.case_manager.username,
        enrollment.application_date,
        getattr(enrollment, "due_on", None),
        getattr(enrollment, "variance_until", None),
    ]


def drill_down_enrollments(viewer: User, data: dict[str, Any]) -> Any:
    return rates.enrollments_behind(
        viewer=viewer, as_of=data["as_of"], standard=data["standard"],
        status=data["status"], by=data["by"], group_id=data["group"],
    )  # fmt: skip


@register("reports.compliance_enrollments", filename="compliance-enrollments")
def compliance_enrollments_table(viewer: User, query: QueryDict) -> Table:
    data = cleaned_data(ComplianceDrillDownForm.from_query(query, today=dates.today()))
    enrollments = drill_down_enrollments(viewer, data)
    rows = [_drill_row(e) for e in enrollments]
    return Table(
        headers=DRILL_DOWN_HEADERS, rows=rows, count=len(rows),
        part2=holds_part2(enrollments, "program"),
    )  # fmt: skip
