"""Plain words for the terms of art the pages show, written once.

Each entry is the short explanation a case manager (or a client reading over her shoulder)
sees next to the term, on a phone as well as on a desk, through the `{% term %}` template tag
(casemgmt/templatetags/glossary.py). Where the term comes from a source document, the entry
says which (/work/shared/seeds/):

- continuum stage and case management model: ACCSA module 19 / TIP 27 (seed 001), "the
  treatment continuum: case finding, pretreatment, primary treatment, and aftercare" and
  "models: broker/generalist, strengths-based, assertive community treatment, and
  clinical/rehabilitation";
- monitoring gap: the Idaho CMH clinical case management standards (seed 003), standard 6,
  "timely documentation of ongoing monitoring";
- units: "What you need to know about clinical case management" (seed 004): phone contact,
  travel time and collateral contacts are billable; the 15-minute unit and its rounding are
  clients.contact_rules.billable_units;
- addendum: the Idaho standards (seed 003), standard 10, "timely documenting case management
  related activities": a signed record is never rewritten, it is added to;
- accounting of disclosures: IC&RC core function #7 (seed 002), "written permission to release
  confidential information"; the list itself is what HIPAA (45 CFR 164.528) and 42 CFR Part 2
  entitle a client to ask for.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    label: str
    explanation: str


GLOSSARY: dict[str, Term] = {
    "continuum_stage": Term(
        label="Continuum stage",
        explanation=(
            "Where the client is on the treatment continuum: case finding (reaching people "
            "who need help), pretreatment (getting ready and waiting for treatment), primary "
            "treatment, or aftercare (staying well once treatment ends)."
        ),
    ),
    "case_management_model": Term(
        label="Case management model",
        explanation=(
            "How this program does case management: broker/generalist (links the client to "
            "services), strengths-based (builds on what the client does well), assertive "
            "community treatment (a team that goes to the client, every day if need be), or "
            "clinical/rehabilitation (the case manager also gives therapy or skills training)."
        ),
    ),
    "monitoring_gap": Term(
        label="Monitoring gap",
        explanation=(
            "Too many days have passed since the last contact with the client: the program "
            "sets the most days allowed between contacts."
        ),
    ),
    "units": Term(
        label="Units",
        explanation=(
            "Every 15 minutes of the contact and its travel time bills one unit, and 8 "
            "minutes or more left over one more. An attempted contact bills none."
        ),
    ),
    "addendum": Term(
        label="Addendum",
        explanation=(
            "A dated note added to a record that can no longer be changed. The record stays "
            "as it was written; the addendum says what was missing or wrong."
        ),
    ),
    "accounting_of_disclosures": Term(
        label="Accounting of disclosures",
        explanation=(
            "The list of every time the client's information was shared outside the agency: "
            "with whom, what, when, by whom and under which release. The client may ask for it."
        ),
    ),
}
