"""The comprehensive assessment: started as a draft, completed and locked by its author,
corrected afterwards only by addendum (Idaho CMH standards 7 and 8)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils import timezone

from accounts.models import User
from clients.models import Enrollment
from serviceplans import services
from serviceplans.models import Assessment, AssessmentAddendum, AssessmentFinding, Domain
from tests import factories

pytestmark = pytest.mark.django_db

ALL_RATED = {domain: {"findings": "Seen.", "need_level": "low"} for domain in Domain.values}


def events_of(obj: models.Model) -> list[models.Model]:
    event_model = type(obj).pgh_event_model  # type: ignore[attr-defined]
    return list(event_model.objects.filter(pgh_obj=obj).order_by("pgh_id"))


@pytest.fixture
def draft(alice: User, enrollment: Enrollment) -> Assessment:
    return services.assessment_start(actor=alice, enrollment=enrollment)


@pytest.fixture
def rated_draft(alice: User, draft: Assessment) -> Assessment:
    return services.assessment_save(actor=alice, assessment=draft, findings=ALL_RATED)


@pytest.fixture
def completed(alice: User, rated_draft: Assessment) -> Assessment:
    return services.assessment_complete(
        actor=alice, assessment=rated_draft, completed_on=timezone.localdate()
    )


def _unchanged(assessment: Assessment) -> bool:
    fresh = Assessment.objects.get(pk=assessment.pk)
    return (fresh.status, fresh.completed_on, fresh.summary) == (
        assessment.status,
        assessment.completed_on,
        assessment.summary,
    )


# --- Starting ---------------------------------------------------------------------------------


def test_it_starts_a_draft_with_one_empty_finding_per_domain(draft: Assessment) -> None:
    assert draft.status == Assessment.Status.DRAFT
    assert sorted(f.domain for f in draft.findings.all()) == sorted(Domain.values)
    assert all(f.findings == "" and f.need_level == "" for f in draft.findings.all())


def test_it_starts_the_initial_assessment_first(draft: Assessment) -> None:
    assert draft.kind == Assessment.Kind.INITIAL


def test_it_starts_an_update_once_one_is_completed(
    alice: User, enrollment: Enrollment, completed: Assessment
) -> None:
    update = services.assessment_start(actor=alice, enrollment=enrollment)
    assert update.kind == Assessment.Kind.UPDATE


def test_it_keeps_one_draft_at_a_time(alice: User, enrollment: Enrollment, draft: Assessment):
    with pytest.raises(ValidationError, match="already open"):
        services.assessment_start(actor=alice, enrollment=enrollment)
    assert Assessment.objects.count() == 1


def test_it_lets_the_supervisor_start_one(sam: User, enrollment: Enrollment) -> None:
    assessment = services.assessment_start(actor=sam, enrollment=enrollment)
    assert assessment.author == sam


def test_it_refuses_a_teammate_not_on_the_caseload(bob: User, enrollment: Enrollment) -> None:
    with pytest.raises(PermissionDenied):
        services.assessment_start(actor=bob, enrollment=enrollment)
    assert not Assessment.objects.exists()


@pytest.mark.parametrize("reader", ["ada", "quinn"])
def test_it_refuses_administrators_and_qa_reviewers(
    request: pytest.FixtureRequest, enrollment: Enrollment, reader: str
) -> None:
    with pytest.raises(PermissionDenied):
        services.assessment_start(actor=request.getfixturevalue(reader), enrollment=enrollment)
    assert not Assessment.objects.exists()


def test_it_refuses_a_closed_enrollment(alice: User) -> None:
    closed = factories.EnrollmentFactory(
        case_manager=alice,
        status=Enrollment.Status.CLOSED,
        closed_on=timezone.localdate(),
        close_reason=Enrollment.CloseReason.GOALS_MET,
    )
    with pytest.raises(ValidationError, match="closed"):
        services.assessment_start(actor=alice, enrollment=closed)


# --- Saving the draft -------------------------------------------------------------------------


def test_it_saves_findings_need_levels_and_summary(alice: User, draft: Assessment) -> None:
    services.assessment_save(
        actor=alice,
        assessment=draft,
        summary="Anxious, engaged.",
        findings={"housing": {"findings": "Stable with mother.", "need_level": "none"}},
    )
    housing = draft.findings.get(domain="housing")
    assert (housing.findings, housing.need_level) == ("Stable with mother.", "none")
    assert Assessment.objects.get(pk=draft.pk).summary == "Anxious, engaged."


def test_it_refuses_a_save_by_someone_other_than_the_author(sam: User, draft: Assessment):
    with pytest.raises(PermissionDenied):
        services.assessment_save(actor=sam, assessment=draft, summary="Changed by sam.")
    assert _unchanged(draft)


def test_it_refuses_an_unknown_need_level_and_saves_nothing(alice: User, draft: Assessment):
    with pytest.raises(ValidationError, match="unknown need level"):
        services.assessment_save(
            actor=alice,
            assessment=draft,
            findings={
                "housing": {"findings": "Stable.", "need_level": "low"},
                "legal": {"findings": "None.", "need_level": "extreme"},
            },
        )
    assert not AssessmentFinding.objects.exclude(findings="").exists()


# --- Completing -------------------------------------------------------------------------------


def test_it_completes_and_locks_the_draft(completed: Assessment) -> None:
    fresh = Assessment.objects.get(pk=completed.pk)
    assert fresh.status == Assessment.Status.COMPLETED
    assert fresh.completed_on == timezone.localdate()
    assert fresh.is_locked


def test_it_accepts_completion_on_the_application_date(
    alice: User, enrollment: Enrollment, rated_draft: Assessment
) -> None:
    services.assessment_complete(
        actor=alice, assessment=rated_draft, completed_on=enrollment.application_date
    )
    assert Assessment.objects.get(pk=rated_draft.pk).is_locked


def test_it_refuses_completion_before_the_application_date(
    alice: User, enrollment: Enrollment, rated_draft: Assessment
) -> None:
    with pytest.raises(ValidationError) as error:
        services.assessment_complete(
            actor=alice,
            assessment=rated_draft,
            completed_on=enrollment.application_date - dt.timedelta(days=1),
        )
    assert "completed_on" in error.value.message_dict
    assert _unchanged(rated_draft)


def test_it_refuses_completion_in_the_future(alice: User, rated_draft: Assessment) -> None:
    with pytest.raises(ValidationError) as error:
        services.assessment_complete(
            actor=alice,
            assessment=rated_draft,
            completed_on=timezone.localdate() + dt.timedelta(days=1),
        )
    assert "completed_on" in error.value.message_dict
    assert _unchanged(rated_draft)


def test_it_refuses_completion_with_a_domain_not_rated(alice: User, draft: Assessment) -> None:
    services.assessment_save(
        actor=alice,
        assessment=draft,
        findings={**ALL_RATED, "strengths": {"findings": "", "need_level": ""}},
    )
    with pytest.raises(ValidationError, match="Strengths"):
        services.assessment_complete(
            actor=alice, assessment=draft, completed_on=timezone.localdate()
        )
    assert _unchanged(draft)


def test_it_refuses_completion_by_someone_other_than_the_author(
    sam: User, rated_draft: Assessment
) -> None:
    with pytest.raises(PermissionDenied):
        services.assessment_complete(
            actor=sam, assessment=rated_draft, completed_on=timezone.localdate()
        )
    assert _unchanged(rated_draft)


def test_it_refuses_to_save_a_completed_assessment(alice: User, completed: Assessment) -> None:
    with pytest.raises(ValidationError, match="locked"):
        services.assessment_save(
            actor=alice,
            assessment=completed,
            summary="Rewritten.",
            findings={"housing": {"findings": "Rewritten.", "need_level": "high"}},
        )
    assert _unchanged(completed)
    assert completed.findings.get(domain="housing").findings == "Seen."


def test_it_refuses_to_complete_a_completed_assessment_again(
    alice: User, completed: Assessment
) -> None:
    with pytest.raises(ValidationError, match="locked"):
        services.assessment_complete(
            actor=alice,
            assessment=completed,
            completed_on=timezone.localdate() - dt.timedelta(days=1),
        )
    assert _unchanged(completed)


# --- Addenda ----------------------------------------------------------------------------------


def test_it_adds_a_dated_addendum_to_a_completed_assessment(
    alice: User, completed: Assessment
) -> None:
    addendum = services.assessment_add_addendum(
        actor=alice, assessment=completed, note="School records arrived: IEP in place."
    )
    assert (addendum.author, addendum.note) == (alice, "School records arrived: IEP in place.")
    assert addendum.created_at is not None
    assert _unchanged(completed)


def test_it_lets_the_supervisor_add_an_addendum(sam: User, completed: Assessment) -> None:
    services.assessment_add_addendum(actor=sam, assessment=completed, note="Reviewed.")
    assert completed.addenda.get().author == sam


def test_it_refuses_an_addendum_to_a_draft(alice: User, draft: Assessment) -> None:
    with pytest.raises(ValidationError, match="Edit the draft"):
        services.assessment_add_addendum(actor=alice, assessment=draft, note="Too early.")
    assert not AssessmentAddendum.objects.exists()


def test_it_refuses_an_empty_addendum(alice: User, completed: Assessment) -> None:
    with pytest.raises(ValidationError) as error:
        services.assessment_add_addendum(actor=alice, assessment=completed, note="  ")
    assert "note" in error.value.message_dict
    assert not AssessmentAddendum.objects.exists()


def test_it_refuses_an_addendum_from_a_teammate(bob: User, completed: Assessment) -> None:
    with pytest.raises(PermissionDenied):
        services.assessment_add_addendum(actor=bob, assessment=completed, note="Not mine.")
    assert not AssessmentAddendum.objects.exists()


# --- History ----------------------------------------------------------------------------------


def test_it_keeps_every_change_of_an_assessment_in_history(alice: User, draft: Assessment) -> None:
    services.assessment_save(
        actor=alice, assessment=draft, summary="First summary.", findings=ALL_RATED
    )
    services.assessment_complete(actor=alice, assessment=draft, completed_on=timezone.localdate())
    assert [(e.pgh_label, e.status, e.summary) for e in events_of(draft)] == [
        ("insert", "draft", ""),
        ("update", "draft", "First summary."),
        ("update", "completed", "First summary."),
    ]


def test_it_keeps_the_old_and_new_findings_in_history(alice: User, draft: Assessment) -> None:
    services.assessment_save(
        actor=alice, assessment=draft, findings={"legal": {"findings": "Probation."}}
    )
    services.assessment_save(
        actor=alice, assessment=draft, findings={"legal": {"findings": "Probation ended."}}
    )
    legal = draft.findings.get(domain="legal")
    assert [e.findings for e in events_of(legal)] == ["", "Probation.", "Probation ended."]
