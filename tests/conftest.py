"""Project-wide fixtures: the fixed cast of the access tests.

alice is a case manager, bob a case manager of the same team, sam their supervisor,
charlie a case manager of another team, ada an administrator and quinn a QA reviewer.
alice's client ``client`` has an open ``enrollment`` on her caseload; charlie's client
``other_client`` is in the other team. Service plans of alice's enrollment: a
``draft_plan`` with a ``draft_goal`` and its ``draft_action``, and an ``approved_plan``;
charlie's enrollment has ``other_plan``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import Client as DjangoClient
from pytest_django import DjangoDbBlocker
from rest_framework.test import APIClient

from accounts.models import Team, User
from casemgmt.database_roles import use_role
from clients.models import Client, Enrollment
from devtools.sessions import pass_second_factor
from serviceplans.models import Goal, PlanAction, ServicePlan
from tests import factories, migration_data

# Fixtures that open the test database for a test (pytest-django's), in the order to ask.
DATABASE_FIXTURES = ("transactional_db", "live_server", "db")


@pytest.fixture
def team(db: None) -> Team:
    return factories.TeamFactory(name="North Team")


@pytest.fixture
def other_team(db: None) -> Team:
    return factories.TeamFactory(name="South Team")


@pytest.fixture
def alice(team: Team) -> User:
    return factories.CaseManagerFactory(username="alice", first_name="Alice", team=team)


@pytest.fixture
def bob(team: Team) -> User:
    return factories.CaseManagerFactory(username="bob", first_name="Bob", team=team)


@pytest.fixture
def sam(team: Team) -> User:
    return factories.SupervisorFactory(username="sam", first_name="Sam", team=team)


@pytest.fixture
def charlie(other_team: Team) -> User:
    return factories.CaseManagerFactory(username="charlie", first_name="Charlie", team=other_team)


@pytest.fixture
def ada(db: None) -> User:
    return factories.AdministratorFactory(username="ada", first_name="Ada")


@pytest.fixture
def quinn(db: None) -> User:
    return factories.QAReviewerFactory(username="quinn", first_name="Quinn")


@pytest.fixture
def enrollment(alice: User) -> Enrollment:
    return factories.EnrollmentFactory(case_manager=alice)


@pytest.fixture
def client_record(enrollment: Enrollment) -> Client:
    """alice's client (named so as not to shadow pytest-django's ``client``)."""
    return enrollment.client


@pytest.fixture
def other_enrollment(charlie: User) -> Enrollment:
    return factories.EnrollmentFactory(case_manager=charlie)


@pytest.fixture
def draft_plan(enrollment: Enrollment) -> ServicePlan:
    """alice's draft plan, starting on the application date."""
    return factories.ServicePlanFactory(enrollment=enrollment)


@pytest.fixture
def draft_goal(draft_plan: ServicePlan) -> Goal:
    return factories.GoalFactory(plan=draft_plan)


@pytest.fixture
def draft_action(draft_goal: Goal) -> PlanAction:
    return factories.PlanActionFactory(goal=draft_goal)


@pytest.fixture
def approved_plan(enrollment: Enrollment) -> ServicePlan:
    """The enrollment's approved plan, with a goal and an intervention."""
    plan = factories.ServicePlanFactory(enrollment=enrollment, active=True)
    factories.PlanActionFactory(goal=factories.GoalFactory(plan=plan))
    return plan


@pytest.fixture
def other_plan(other_enrollment: Enrollment) -> ServicePlan:
    return factories.ServicePlanFactory(enrollment=other_enrollment)


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture(autouse=True)
def _data_from_migrations(request: pytest.FixtureRequest) -> None:
    """Every test that opens the database finds the rows ``migrate`` writes, even after a
    transactional test emptied the tables (tests/migration_data.py)."""
    wanted = next((name for name in DATABASE_FIXTURES if name in request.fixturenames), None)
    if wanted is None and request.node.get_closest_marker("django_db") is None:
        return
    if wanted is not None:
        request.getfixturevalue("transactional_db" if wanted == "live_server" else wanted)
    migration_data.restore()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings: None) -> None:
    """The test databases are created and migrated by the tables' owner role ..."""
    use_role("owner")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[None]:
    """... and every test runs as the app's role, as the app does (casemgmt.database_roles):
    a statement the app's role may not make fails a test here, not in production. The owner
    drops the databases at the end."""
    use_role("app")
    yield
    with django_db_blocker.unblock():
        use_role("owner")


@pytest.fixture(scope="module")
def as_database_owner(django_db_setup: None) -> Iterator[None]:
    """The tests of a module connect as the tables' owner: those of what runs as the owner
    (seed_scale, the benchmark) and of what the owner could do to the audit rows."""
    use_role("owner")
    yield
    use_role("app")


@pytest.fixture(autouse=True, scope="session")
def _tasks_run_in_process() -> None:
    """Tasks queued when a record commits run in the test's own process, so tests neither
    need nor leave messages on a broker; tests/supervision/test_worker.py runs a real worker
    on the real Redis instead."""
    from casemgmt.celery import app

    app.conf.task_always_eager = True


@pytest.fixture(autouse=True, scope="session")
def _force_login_passes_the_second_factor() -> Iterator[None]:
    """``force_login`` signs a test client in past the second factor too (the one helper:
    devtools.sessions.pass_second_factor), as every test but the second factor's own wants;
    those log in through the login page."""
    original = DjangoClient.force_login

    def force_login(self: DjangoClient, user: User, backend: str | None = None) -> None:
        original(self, user, backend)
        pass_second_factor(self, user)

    DjangoClient.force_login = force_login  # type: ignore[method-assign]  # see the docstring
    yield
    DjangoClient.force_login = original  # type: ignore[method-assign]  # restored


@pytest.fixture(autouse=True)
def _rate_limits_start_afresh() -> None:
    """Each test starts with no request counted against the rate limits (the cache)."""
    from django.core.cache import cache

    cache.clear()
