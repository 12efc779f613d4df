"""variance_request and variance_decide: who may ask and decide, bad input as field errors,
one pending request per standard, and the evaluation run at the decision."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import User
from clients.models import Enrollment
from supervision import services
from supervision.models import Flag, FlagRule, Variance
from tests.helpers import in_days, today

pytestmark = pytest.mark.django_db

INITIAL = FlagRule.INITIAL_ASSESSMENT_OVERDUE


def _request(actor: User, enrollment: Enrollment, **kwargs: Any) -> Variance:
    fields: dict[str, Any] = {
        "rule": INITIAL,
        "reason": "The family was out of state for three weeks.",
        "proposed_due_on": in_days(14),
    }
    fields.update(kwargs)
    return services.variance_request(actor=actor, enrollment=enrollment, **fields)


def _field_errors(excinfo: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return excinfo.value.message_dict


# --- Asking -----------------------------------------------------------------------------------


def test_it_records_a_request_against_a_flag(alice: User, overdue: Enrollment, flag: Flag) -> None:
    variance = _request(alice, overdue, rule=None, flag=flag)
    assert (variance.rule, variance.flag, variance.status) == (INITIAL, flag, "pending")
    assert variance.requested_by == alice


def test_it_records_a_request_against_a_standard(alice: User, enrollment: Enrollment) -> None:
    variance = _request(alice, enrollment, rule=FlagRule.PLAN_REVIEW_OVERDUE)
    assert variance.flag is None
    assert variance.rule == FlagRule.PLAN_REVIEW_OVERDUE


def test_a_supervisor_requests_for_the_team(sam: User, enrollment: Enrollment) -> None:
    assert _request(sam, enrollment).requested_by == sam


def test_a_teammate_may_not_request_for_alices_caseload(bob: User, enrollment: Enrollment) -> None:
    with pytest.raises(PermissionDenied):
        _request(bob, enrollment)
    assert not Variance.objects.exists()


def test_an_outsider_may_not_request(charlie: User, enrollment: Enrollment) -> None:
    with pytest.raises(PermissionDenied):
        _request(charlie, enrollment)


def test_an_administrator_does_not_request(ada: User, enrollment: Enrollment) -> None:
    with pytest.raises(PermissionDenied):
        _request(ada, enrollment)


def test_it_refuses_a_proposed_date_of_today(alice: User, enrollment: Enrollment) -> None:
    with pytest.raises(ValidationError) as excinfo:
        _request(alice, enrollment, proposed_due_on=today())
    assert _field_errors(excinfo) == {
        "proposed_due_on": ["The proposed new due date must be after today."]
    }


def test_it_refuses_a_proposed_date_in_the_past(alice: User, enrollment: Enrollment) -> None:
    with pytest.raises(ValidationError) as excinfo:
        _request(alice, enrollment, proposed_due_on=in_days(-1))
    assert "proposed_due_on" in _field_errors(excinfo)
    assert not Variance.objects.exists()


def test_it_needs_a_reason(alice: User, enrollment: Enrollment) -> None:
    with pytest.raises(ValidationError) as excinfo:
        _request(alice, enrollment, reason="   ")
    assert _field_errors(excinfo) == {"reason": ["Say why the standard cannot be met."]}


def test_it_needs_a_standard_or_a_flag(alice: User, enrollment: Enrollment) -> None:
    with pytest.raises(ValidationError) as excinfo:
        _request(alice, enrollment, rule=None)
    assert "rule" in _field_errors(excinfo)


def test_it_refuses_an_unknown_standard(alice: User, enrollment: Enrollment) -> None:
    with pytest.raises(ValidationError) as excinfo:
        _request(alice, enrollment, rule="no_such_rule")
    assert _field_errors(excinfo) == {"rule": ["Choose one of the standards."]}


def test_it_refuses_a_flag_of_another_enrollment(
    alice: User, enrollment: Enrollment, flag: Flag
) -> None:
    with pytest.raises(ValidationError) as excinfo:
        _request(alice, enrollment, flag=flag)
    assert _field_errors(excinfo) == {"flag": ["This flag is not about this enrollment."]}


def test_it_refuses_a_resolved_flag(alice: User, overdue: Enrollment, flag: Flag) -> None:
    Flag.objects.filter(pk=flag.pk).update(
        resolved_on=today(), resolved_at=timezone.now(), resolution="Done."
    )
    flag.refresh_from_db()
    with pytest.raises(ValidationError) as excinfo:
        _request(alice, overdue, flag=flag)
    assert _field_errors(excinfo) == {"flag": ["This flag is already resolved."]}


def test_it_refuses_a_standard_other_than_the_flags(
    alice: User, overdue: Enrollment, flag: Flag
) -> None:
    with pytest.raises(ValidationError) as excinfo:
        _request(alice, overdue, flag=flag, rule=FlagRule.MONITORING_GAP)
    assert "rule" in _field_errors(excinfo)


def test_it_refuses_a_second_pending_request_for_the_standard(
    alice: User, enrollment: Enrollment
) -> None:
    _request(alice, enrollment)
    with pytest.raises(ValidationError) as excinfo:
        _request(alice, enrollment)
    assert _field_errors(excinfo) == {
        "rule": ["A variance of this standard is already pending for this enrollment."]
    }
    assert Variance.objects.count() == 1


def test_it_turns_a_concurrent_duplicate_into_a_field_error(
    alice: User, enrollment: Enrollment, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two requests at the same moment: the second passes the check, then meets the partial
    unique constraint, and gets the same field error (not an IntegrityError)."""
    _request(alice, enrollment)
    real_pending = Variance.objects.pending

    class NothingPendingYet:
        def pending(self) -> Any:
            return real_pending().none()

    monkeypatch.setattr(services.Variance, "objects", NothingPendingYet())
    with pytest.raises(ValidationError) as excinfo:
        _request(alice, enrollment)
    assert "rule" in _field_errors(excinfo)


def test_it_accepts_a_new_request_once_the_last_was_decided(
    alice: User, ada: User, enrollment: Enrollment
) -> None:
    first = _request(alice, enrollment)
    services.variance_decide(actor=ada, variance=first, approve=False, note="Not enough.")
    assert _request(alice, enrollment).status == Variance.Status.PENDING


def test_it_refuses_a_closed_enrollment(alice: User, enrollment: Enrollment) -> None:
    Enrollment.objects.filter(pk=enrollment.pk).update(
        status=Enrollment.Status.CLOSED,
        closed_on=today(),
        close_reason=Enrollment.CloseReason.GOALS_MET,
    )
    enrollment.refresh_from_db()
    with pytest.raises(ValidationError):
        _request(alice, enrollment)


# --- Deciding ---------------------------------------------------------------------------------


@pytest.fixture
def pending(alice: User, overdue: Enrollment, flag: Flag) -> Variance:
    return _request(alice, overdue, rule=None, flag=flag)


def test_an_administrator_approves_until_the_proposed_date(ada: User, pending: Variance) -> None:
    variance = services.variance_decide(actor=ada, variance=pending, approve=True, note="")
    assert variance.status == Variance.Status.APPROVED
    assert variance.approved_due_on == pending.proposed_due_on
    assert variance.decided_by == ada
    assert variance.decided_at is not None


def test_an_administrator_approves_until_another_date(ada: User, pending: Variance) -> None:
    variance = services.variance_decide(
        actor=ada, variance=pending, approve=True, approved_due_on=in_days(7), note="A week."
    )
    assert (variance.approved_due_on, variance.decision_note) == (in_days(7), "A week.")


def test_approval_resolves_the_flag_at_once(ada: User, pending: Variance, flag: Flag) -> None:
    services.variance_decide(actor=ada, variance=pending, approve=True, note="")
    flag.refresh_from_db()
    assert flag.resolved_on == today()
    assert flag.resolution == f"Variance approved until {pending.proposed_due_on:%Y-%m-%d}."


def test_approval_may_run_until_today(ada: User, pending: Variance) -> None:
    variance = services.variance_decide(
        actor=ada, variance=pending, approve=True, approved_due_on=today(), note=""
    )
    assert variance.approved_due_on == today()


def test_approval_refuses_a_date_in_the_past(ada: User, pending: Variance) -> None:
    with pytest.raises(ValidationError) as excinfo:
        services.variance_decide(
            actor=ada, variance=pending, approve=True, approved_due_on=in_days(-1), note=""
        )
    assert _field_errors(excinfo) == {
        "approved_due_on": ["The approved due date cannot be in the past."]
    }
    pending.refresh_from_db()
    assert pending.status == Variance.Status.PENDING


def test_approval_refuses_a_proposed_date_now_past(ada: User, pending: Variance) -> None:
    later = timezone.now() + dt.timedelta(days=30)
    with time_machine.travel(later), pytest.raises(ValidationError) as excinfo:
        services.variance_decide(actor=ada, variance=pending, approve=True, note="")
    assert "approved_due_on" in _field_errors(excinfo)


def test_a_denial_needs_a_note(ada: User, pending: Variance, flag: Flag) -> None:
    with pytest.raises(ValidationError) as excinfo:
        services.variance_decide(actor=ada, variance=pending, approve=False, note=" ")
    assert _field_errors(excinfo) == {"note": ["Say why the variance is denied."]}


def test_a_denial_leaves_the_flag_open(ada: User, pending: Variance, flag: Flag) -> None:
    variance = services.variance_decide(
        actor=ada, variance=pending, approve=False, note="Assess this week."
    )
    assert (variance.status, variance.approved_due_on) == (Variance.Status.DENIED, None)
    flag.refresh_from_db()
    assert flag.is_open


@pytest.mark.parametrize("who", ["alice", "sam", "quinn", "charlie"])
def test_only_an_administrator_decides(
    request: pytest.FixtureRequest, who: str, pending: Variance
) -> None:
    actor = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        services.variance_decide(actor=actor, variance=pending, approve=True, note="")
    pending.refresh_from_db()
    assert pending.status == Variance.Status.PENDING


def test_it_decides_a_variance_once(ada: User, pending: Variance) -> None:
    services.variance_decide(actor=ada, variance=pending, approve=True, note="")
    with pytest.raises(ValidationError, match="already approved"):
        services.variance_decide(actor=ada, variance=pending, approve=False, note="Changed mind.")


def test_the_decision_is_in_history(ada: User, pending: Variance) -> None:
    services.variance_decide(actor=ada, variance=pending, approve=True, note="")
    event_model = Variance.pgh_event_model  # type: ignore[attr-defined]
    events = list(event_model.objects.filter(pgh_obj=pending).order_by("pgh_id"))
    assert [(e.pgh_label, e.status) for e in events] == [
        ("insert", "pending"),
        ("update", "approved"),
    ]
    assert events[-1].decided_by_id == ada.pk
