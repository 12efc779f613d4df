"""What the client record publishes for the apps above it (casemgmt.reactions).

The compliance engine (supervision) subscribes to ``EnrollmentChanged`` to re-evaluate the
enrollment's flags once the change commits; any app whose rules read an enrollment's records
may subscribe too.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EnrollmentChanged:
    """A record of the enrollment changed: the enrollment itself, a contact, an assessment, a
    risk screen, a service plan or a referral."""

    enrollment_id: int
