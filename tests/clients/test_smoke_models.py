import pytest

from tests import factories

pytestmark = pytest.mark.django_db


def test_it_builds_an_enrollment_with_a_contact() -> None:
    contact = factories.ContactFactory()
    assert contact.client_id == contact.enrollment.client_id
