import pytest
from django.urls import reverse

from clients.models import FamilyMember
from tests import factories

pytestmark = pytest.mark.django_db

GUARDIAN = {
    "first_name": "Rosa",
    "last_name": "Diaz",
    "relationship": FamilyMember.Relationship.GRANDPARENT,
    "date_of_birth": "1961-07-01",
    "is_guardian": "on",
    "lives_in_household": "on",
    "takes_part_in_planning": "on",
    "phone": "",
}


def test_it_adds_a_guardian_who_takes_part_in_planning(client, alice, client_record):
    client.force_login(alice)
    response = client.post(reverse("clients:family_add", args=[client_record.pk]), GUARDIAN)
    assert response.status_code == 302
    member = FamilyMember.objects.get()
    assert (member.is_guardian, member.takes_part_in_planning) == (True, True)


def test_it_refuses_a_future_date_of_birth_for_a_family_member(client, alice, client_record):
    client.force_login(alice)
    response = client.post(
        reverse("clients:family_add", args=[client_record.pk]),
        {**GUARDIAN, "date_of_birth": "2999-01-01"},
    )
    assert response.status_code == 400
    assert "date_of_birth" in response.context["form"].errors
    assert not FamilyMember.objects.exists()


def test_it_edits_a_family_member(client, alice, client_record):
    member = factories.FamilyMemberFactory(client=client_record)
    client.force_login(alice)
    client.post(
        reverse("clients:family_edit", args=[member.pk]), {**GUARDIAN, "lives_in_household": ""}
    )
    member.refresh_from_db()
    assert member.lives_in_household is False


def test_it_edits_the_client(client, alice, client_record):
    client.force_login(alice)
    response = client.post(
        reverse("clients:edit", args=[client_record.pk]),
        {
            "first_name": client_record.first_name,
            "last_name": client_record.last_name,
            "preferred_name": "Sunny",
            "date_of_birth": client_record.date_of_birth.isoformat(),
            "sex": "female",
            "primary_language": "English",
        },
    )
    assert response.status_code == 302
    client_record.refresh_from_db()
    assert client_record.preferred_name == "Sunny"
