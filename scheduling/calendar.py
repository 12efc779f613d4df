"""The iCalendar document of a user's feed, built with ``icalendar`` from allow-listed values.

Issue 11: events carry only the time, the visit type and the record number (no name, address,
program, purpose or free text: a home address next to a mental-health visit is health
information), in the agency's time zone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings

from clients.models import Contact

PRODID = "-//Casework//Planned visits//EN"
# Every property an event may carry; tests parse the feed back and check against it.
EVENT_PROPERTIES = frozenset({"UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "STATUS"})


def _event(row: dict[str, Any], zone: ZoneInfo, host: str) -> icalendar.Event:
    start = row["scheduled_start"].astimezone(zone)
    event = icalendar.Event()
    event.add("uid", f"visit-{row['id']}@{host}")
    event.add("dtstamp", row["updated_at"].astimezone(dt.UTC))
    event.add("dtstart", start)
    event.add("dtend", start + dt.timedelta(minutes=row["expected_minutes"]))
    kind = Contact.Type(row["contact_type"]).label
    event.add("summary", f"{kind} · {row['enrollment__client__record_number']}")
    # Only planned visits are confirmed; recorded or missed ones stay as they were planned.
    event.add("status", "CONFIRMED" if row["status"] == "planned" else "TENTATIVE")
    return event


def feed_document(rows: Iterable[dict[str, Any]], *, host: str) -> bytes:
    """The calendar of ``rows`` (scheduling.selectors.feed_visits), with its VTIMEZONE."""
    zone = ZoneInfo(settings.TIME_ZONE)
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Casework visits")
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    for row in rows:
        calendar.add_component(_event(row, zone, host))
    calendar.add_missing_timezones()
    return calendar.to_ical()
