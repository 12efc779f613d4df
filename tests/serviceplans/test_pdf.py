"""The printable plan: a PDF (WeasyPrint) for the client, family, case manager and supervisor
to sign (serviceplans.pdf, downloaded from serviceplans.views.plans.plan_pdf). pypdf is not
installed, so the text is checked in the HTML the PDF is made from. (Another team's 404 on the
download is a row of tests/test_url_matrix.py.)"""

import pytest
from django.urls import reverse
from django.utils import timezone

from serviceplans import pdf
from tests import factories

pytestmark = pytest.mark.django_db

try:  # WeasyPrint loads Pango, a system library, when imported.
    import weasyprint  # noqa: F401
except OSError as missing:  # a fresh laptop; CI installs it and fails on any skipped test
    pytest.skip(
        f"WeasyPrint cannot load Pango ({missing}); apt-get install libpango-1.0-0 "
        "libpangoft2-1.0-0 to run the PDF tests",
        allow_module_level=True,
    )


@pytest.fixture
def plan(enrollment):
    plan = factories.ServicePlanFactory(enrollment=enrollment, active=True, version=2)
    factories.PlanActionFactory(goal=factories.GoalFactory(plan=plan))
    return plan


@pytest.fixture
def rendered_html(monkeypatch) -> list[str]:
    """The HTML each PDF of the request was made from."""
    seen: list[str] = []
    make_pdf = pdf.html_to_pdf

    def keep_and_make(html: str) -> bytes:
        seen.append(html)
        return make_pdf(html)

    monkeypatch.setattr(pdf, "html_to_pdf", keep_and_make)
    return seen


def test_it_answers_a_pdf(client, bob, plan):
    client.force_login(bob)
    response = client.get(reverse("serviceplans:plan_pdf", args=[plan.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_it_names_the_file_after_the_record_number_and_version(client, alice, plan):
    client.force_login(alice)
    response = client.get(reverse("serviceplans:plan_pdf", args=[plan.pk]))
    record = plan.enrollment.client.record_number
    assert response["Content-Disposition"] == (
        f'attachment; filename="service-plan-{record}-v2.pdf"'
    )


def test_it_prints_the_client_the_goals_and_the_interventions(client, alice, plan, rendered_html):
    client.force_login(alice)
    client.get(reverse("serviceplans:plan_pdf", args=[plan.pk]))
    [html] = rendered_html
    client_record = plan.enrollment.client
    assert f"{client_record.first_name} {client_record.last_name}" in html
    assert client_record.record_number in html
    assert "I want to go back to school every day." in html
    assert "Meet the school counselor to plan a shortened timetable." in html


def test_it_has_signature_lines_for_the_client_family_case_manager_and_supervisor(
    client, alice, plan, rendered_html
):
    parent = factories.FamilyMemberFactory(client=plan.enrollment.client, first_name="Rosa")
    plan.family_participants.add(parent)
    client.force_login(alice)
    client.get(reverse("serviceplans:plan_pdf", args=[plan.pk]))
    [html] = rendered_html
    assert f"{plan.enrollment.client.display_name}, client" in html
    assert f"Rosa {parent.last_name}, parent" in html
    assert f"{alice}, case manager" in html
    assert f"Supervisor approval: {plan.approved_by}, approved" in html


def test_it_marks_a_draft_as_not_approved(client, alice, enrollment, rendered_html):
    draft = factories.ServicePlanFactory(enrollment=enrollment)
    client.force_login(alice)
    client.get(reverse("serviceplans:plan_pdf", args=[draft.pk]))
    [html] = rendered_html
    assert "Draft: not yet approved by a supervisor." in html


def test_it_escapes_what_staff_typed(client, alice, enrollment, rendered_html):
    draft = factories.ServicePlanFactory(enrollment=enrollment)
    factories.GoalFactory(plan=draft, client_words='<img src="file:///etc/passwd">')
    client.force_login(alice)
    client.get(reverse("serviceplans:plan_pdf", args=[draft.pk]))
    [html] = rendered_html
    assert "<img" not in html


def test_it_logs_the_view_of_the_client_record(client, bob, plan):
    client.force_login(bob)
    client.get(reverse("serviceplans:plan_pdf", args=[plan.pk]))
    row = plan.enrollment.client.access_log.get()
    assert (row.user, row.action) == (bob, "viewed")


def test_it_fetches_nothing_while_rendering(monkeypatch):
    fetched: list[object] = []

    def record(self, url, *args, **kwargs):
        fetched.append(url)
        raise OSError("no network in tests")

    monkeypatch.setattr("urllib.request.OpenerDirector.open", record)
    html = (
        '<p>Plan</p><img src="http://example.invalid/x.png">'
        '<link rel="stylesheet" href="file:///etc/hostname">'
    )
    assert pdf.html_to_pdf(html).startswith(b"%PDF")
    assert fetched == []


def test_it_prints_the_date_of_printing(client, alice, plan, rendered_html):
    client.force_login(alice)
    client.get(reverse("serviceplans:plan_pdf", args=[plan.pk]))
    assert f"printed {timezone.localdate():%Y-%m-%d}" in rendered_html[0]
