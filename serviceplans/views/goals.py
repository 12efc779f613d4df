"""Pages of a draft plan's goals, in the client's own words, and of their objectives and
interventions (who does what, when, where and why). Only a draft changes: the form page, the
way back to the plan and the draft-only guard are the plan pages' (serviceplans.views.plans).
"""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse

from casemgmt.http import AuthenticatedHttpRequest
from casemgmt.service_forms import save_with_service
from clients.access import object_for_request
from serviceplans import services
from serviceplans.forms.goals import GoalEditForm, GoalForm, PlanActionForm
from serviceplans.models import Goal, PlanAction
from serviceplans.views.plans import form_page, posted, to_plan, unless_draft, writable_plan


@login_required
def goal_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = writable_plan(request, pk)
    if (back := unless_draft(request, plan)) is not None:
        return back
    form = GoalForm(posted(request))
    goal = save_with_service(
        form, request, partial(services.goal_add, actor=request.user, plan=plan)
    )
    if goal is not None:
        messages.success(request, "Goal added. Now add its objectives and interventions.")
        return to_plan(plan.pk, f"goal-{goal.pk}")
    return form_page(request, form, title="Add a goal", enrollment=plan.enrollment, plan=plan)


def _writable_goal(request: AuthenticatedHttpRequest, pk: int) -> Goal:
    return object_for_request(
        request,
        Goal,
        pk,
        write=True,
        select_related=("plan__enrollment__client", "plan__enrollment__program"),
    )


@login_required
def goal_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    goal = _writable_goal(request, pk)
    if (back := unless_draft(request, goal.plan)) is not None:
        return back
    form = GoalEditForm(posted(request), instance=goal)
    saved = save_with_service(
        form, request, partial(services.goal_update, actor=request.user, goal=goal)
    )
    if saved is not None:
        messages.success(request, "Goal saved.")
        return to_plan(goal.plan_id, f"goal-{goal.pk}")
    return form_page(
        request, form, title="Edit goal", enrollment=goal.plan.enrollment, plan=goal.plan
    )


@login_required
def action_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """An objective or intervention under a goal: who, what, when, where, why."""
    goal = _writable_goal(request, pk)
    if (back := unless_draft(request, goal.plan)) is not None:
        return back
    form = PlanActionForm(
        posted(request),
        initial={"kind": PlanAction.Kind.INTERVENTION, "due_date": goal.target_date},
    )
    saved = save_with_service(
        form, request, partial(services.action_add, actor=request.user, goal=goal)
    )
    if saved is not None:
        messages.success(request, "Added to the goal.")
        return to_plan(goal.plan_id, f"goal-{goal.pk}")
    return form_page(
        request,
        form,
        title=f"Add an objective or intervention to “{goal}”",
        enrollment=goal.plan.enrollment,
        plan=goal.plan,
    )


@login_required
def action_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    action = object_for_request(
        request,
        PlanAction,
        pk,
        write=True,
        select_related=("goal__plan__enrollment__client", "goal__plan__enrollment__program"),
    )
    plan = action.goal.plan
    if (back := unless_draft(request, plan)) is not None:
        return back
    form = PlanActionForm(posted(request), instance=action)
    saved = save_with_service(
        form, request, partial(services.action_update, actor=request.user, action=action)
    )
    if saved is not None:
        messages.success(request, "Saved.")
        return to_plan(plan.pk, f"goal-{action.goal_id}")
    return form_page(
        request,
        form,
        title=f"Edit {action.get_kind_display().lower()} of “{action.goal}”",
        enrollment=plan.enrollment,
        plan=plan,
    )
