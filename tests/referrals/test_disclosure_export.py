"""A client's accounting of disclosures as a file (``/clients/<pk>/disclosures/export/?format=``,
referrals.tables.disclosures_table): the disclosures the client page's card lists, for those who
may read the client (404 otherwise), logged; the 42 CFR 2.32 notice when a disclosure comes from
a referral of a Part 2 program."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from accounts.models import User
from clients.models import AccessLog, Client, Enrollment, Program
from exports import services as export_services
from exports.models import ExportJob
from referrals import tables
from referrals.models import Disclosure, Referral
from tests import factories
from tests.export_files import as_csv, as_xlsx, csv_lines, xlsx_lines

pytestmark = pytest.mark.django_db

AGENCY_ZONE = ZoneInfo("America/Boise")
# Wednesday 4 March 2026, 13:00 in the agency's time zone.
FROZEN = dt.datetime(2026, 3, 4, 20, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(FROZEN, tick=False):
        yield


def _disclose(referral: Referral, by: User, at: dt.datetime, **consent: Any) -> Disclosure:
    """A referral packet produced at ``at`` under a release to the referral's provider."""
    with time_machine.travel(at, tick=False):
        release = factories.ConsentFactory(
            client=referral.enrollment.client, recipient_provider=referral.provider, **consent
        )
        return Disclosure.objects.create(
            client=release.client,
            referral=referral,
            consent=release,
            recipient=referral.provider,
            categories=referral.categories,
            by=by,
        )


@pytest.fixture
def disclosures(enrollment: Enrollment, alice: User, sam: User) -> list[Disclosure]:
    """Two disclosures of alice's client, newest first: sam's on 3 March (a purpose a
    spreadsheet would run) and alice's on 2 March at 10:30 in Boise."""
    first = factories.ReferralFactory(enrollment=enrollment)
    second = factories.ReferralFactory(enrollment=enrollment, categories=["assessment"])
    older = _disclose(first, alice, dt.datetime(2026, 3, 2, 17, 30, tzinfo=dt.UTC))
    newer = _disclose(
        second, sam, dt.datetime(2026, 3, 3, 16, 0, tzinfo=dt.UTC), purpose="=HYPERLINK(1)"
    )
    return [newer, older]


@pytest.fixture
def other_disclosure(other_enrollment: Enrollment, charlie: User) -> Disclosure:
    """A disclosure of charlie's client (another team)."""
    referral = factories.ReferralFactory(enrollment=other_enrollment)
    return _disclose(referral, charlie, dt.datetime(2026, 3, 1, 16, 0, tzinfo=dt.UTC))


def _url(client_record: Client) -> str:
    return reverse("referrals:disclosure_export", args=[client_record.pk])


def _card(client, client_record: Client) -> Any:
    return client.get(
        reverse("workspace:releases_card", args=[client_record.pk]),
        headers={"HX-Request": "true"},
    )


def _card_rows(response: Any) -> list[list[Any]]:
    """What the card's context shows of each disclosure, in the export's columns."""
    rows = []
    for row in response.context["releases"].disclosures:
        d = row.disclosure
        at = d.disclosed_at.astimezone(AGENCY_ZONE)
        rows.append([
            at.date(), f"{at:%H:%M}", d.client.display_name, d.client.record_number,
            d.recipient.name, "; ".join(row.categories), d.consent.purpose, d.consent.signed_on,
            str(d.by), d.referral.enrollment.program.name,
        ])  # fmt: skip
    return rows


def _escaped(rows: list[list[Any]]) -> list[list[Any]]:
    # The purpose a spreadsheet would run is escaped (exports.formats).
    rows[0][6] = "'" + rows[0][6]
    return rows


def test_a_csv_has_the_cards_disclosures(client, alice: User, client_record, disclosures) -> None:
    client.force_login(alice)
    card = _card(client, client_record)
    lines = csv_lines(client.get(_url(client_record), {"format": "csv"}))
    assert lines[0] == tables.DISCLOSURE_HEADERS
    assert lines[1:] == as_csv(_escaped(_card_rows(card)))
    assert [line[8] for line in lines[1:]] == [str(disclosures[0].by), str(disclosures[1].by)]


def test_a_csv_dates_each_disclosure_in_the_agencys_time(
    client, alice: User, client_record, disclosures
) -> None:
    client.force_login(alice)
    lines = csv_lines(client.get(_url(client_record), {"format": "csv"}))
    assert lines[2][:2] == ["2026-03-02", "10:30"]
    assert lines[2][5] == "Identifying and contact details; Service plan goals"


def test_an_xlsx_has_the_cards_disclosures(client, alice: User, client_record, disclosures) -> None:
    client.force_login(alice)
    card = _card(client, client_record)
    lines = xlsx_lines(client.get(_url(client_record), {"format": "xlsx"}))
    assert lines[0] == tables.DISCLOSURE_HEADERS
    assert lines[1:] == as_xlsx(_escaped(_card_rows(card)))


def test_an_export_holds_only_the_clients_disclosures(
    client, ada: User, client_record, disclosures, other_disclosure
) -> None:
    client.force_login(ada)
    lines = csv_lines(client.get(_url(client_record), {"format": "csv"}))
    assert {line[3] for line in lines[1:]} == {client_record.record_number}
    assert len(lines) == 1 + 2


def test_a_client_named_in_the_query_is_not_the_one_exported(
    client, ada: User, client_record, disclosures, other_disclosure
) -> None:
    # ada may read both clients: the file is still the one of the client in the address.
    client.force_login(ada)
    forged = {"client": other_disclosure.client_id, "format": "csv"}
    lines = csv_lines(client.get(_url(client_record), forged))
    assert {line[3] for line in lines[1:]} == {client_record.record_number}


def test_a_client_of_another_team_answers_404(
    client, charlie: User, client_record, disclosures
) -> None:
    client.force_login(charlie)
    response = client.get(_url(client_record), {"format": "csv"})
    assert response.status_code == 404
    assert not AccessLog.objects.filter(action=AccessLog.Action.EXPORTED).exists()


def test_without_a_format_it_answers_400(client, alice: User, client_record, disclosures) -> None:
    client.force_login(alice)
    assert client.get(_url(client_record)).status_code == 400


def test_an_unknown_format_answers_400(client, alice: User, client_record, disclosures) -> None:
    client.force_login(alice)
    assert client.get(_url(client_record), {"format": "pdf"}).status_code == 400


def test_every_export_is_in_the_access_log(client, bob: User, client_record, disclosures) -> None:
    client.force_login(bob)
    client.get(_url(client_record), {"format": "csv"})
    entry = AccessLog.objects.get(action=AccessLog.Action.EXPORTED)
    assert (entry.user, entry.row_count, entry.client_id) == (bob, 2, None)
    assert entry.path.startswith(_url(client_record)) and "format=csv" in entry.path


def test_the_clients_record_read_is_in_the_access_log_under_the_client(
    client, bob: User, client_record, disclosures
) -> None:
    client.force_login(bob)
    client.get(_url(client_record), {"format": "csv"})
    entry = AccessLog.objects.get(action=AccessLog.Action.VIEWED)
    assert (entry.user, entry.client_id) == (bob, client_record.pk)


def test_an_export_of_a_part2_programs_disclosures_carries_the_notice(
    client, alice: User, client_record, disclosures
) -> None:
    Program.objects.filter(pk=disclosures[0].referral.enrollment.program_id).update(is_part2=True)
    client.force_login(alice)
    response = client.get(_url(client_record), {"format": "csv"})
    assert "42 CFR 2.32" in b"".join(response.streaming_content).decode().splitlines()[0]


def test_a_part2_enrollment_without_a_disclosure_adds_no_notice(
    client, alice: User, client_record, disclosures
) -> None:
    factories.EnrollmentFactory(
        client=client_record, case_manager=alice, program=factories.ProgramFactory(is_part2=True)
    )
    client.force_login(alice)
    response = client.get(_url(client_record), {"format": "csv"})
    assert "42 CFR 2.32" not in b"".join(response.streaming_content).decode()


def test_a_job_rebuilds_the_clients_disclosures_from_its_query(
    client, alice: User, client_record, disclosures, other_disclosure, settings, tmp_path
) -> None:
    settings.EXPORT_IN_REQUEST_MAX_ROWS = 1
    settings.MEDIA_ROOT = tmp_path
    client.force_login(alice)
    response = client.get(_url(client_record), {"format": "csv"})
    assert response.status_code == 302
    job = export_services.export_job_write(ExportJob.objects.get().pk)
    assert job is not None and job.status == "done"
    with job.file.open("rb") as file:
        lines = list(csv.reader(io.StringIO(file.read().decode())))
    assert lines[0] == tables.DISCLOSURE_HEADERS
    assert [line[3] for line in lines[1:]] == [client_record.record_number] * 2


def test_the_card_links_the_export(client, alice: User, client_record, disclosures) -> None:
    client.force_login(alice)
    html = _card(client, client_record).content.decode()
    assert 'id="disclosure-exports"' in html
    assert f'href="{_url(client_record)}?format=csv"' in html
    assert f'href="{_url(client_record)}?format=xlsx"' in html


def test_a_card_with_nothing_disclosed_offers_no_export(client, alice: User, client_record) -> None:
    client.force_login(alice)
    assert 'id="disclosure-exports"' not in _card(client, client_record).content.decode()
