"""What the demo contacts say: how often each type happens, how long it takes, and the
notes written for each kind of client, collateral calls and the few crises."""

from __future__ import annotations

import datetime as dt

from clients.models import Contact

CType = Contact.Type


# --- Contacts -----------------------------------------------------------------------------------

TYPE_WEIGHTS: dict[str, dict[str, int]] = {
    "child": {
        CType.HOME_VISIT: 30,
        CType.PHONE: 20,
        CType.COLLATERAL: 18,
        CType.FACE_TO_FACE: 12,
        CType.ATTEMPTED: 8,
        CType.VIDEO: 6,
        CType.CASE_CONFERENCE: 6,
    },
    "hiv-cfp": {
        CType.PHONE: 30,
        CType.FACE_TO_FACE: 20,
        CType.HOME_VISIT: 15,
        CType.COLLATERAL: 15,
        CType.ATTEMPTED: 10,
        CType.VIDEO: 8,
        CType.CASE_CONFERENCE: 2,
    },
    "sud-op": {
        CType.FACE_TO_FACE: 25,
        CType.PHONE: 25,
        CType.COLLATERAL: 20,
        CType.HOME_VISIT: 10,
        CType.ATTEMPTED: 10,
        CType.VIDEO: 8,
        CType.CASE_CONFERENCE: 2,
    },
}
# Minutes spent, by type: ((fewest, most) duration, (fewest, most) travel).
MINUTES: dict[str, tuple[tuple[int, int], tuple[int, int]]] = {
    CType.HOME_VISIT: ((45, 90), (10, 40)),
    CType.FACE_TO_FACE: ((30, 60), (0, 0)),
    CType.PHONE: ((5, 30), (0, 0)),
    CType.VIDEO: ((20, 45), (0, 0)),
    CType.COLLATERAL: ((10, 30), (0, 0)),
    CType.CASE_CONFERENCE: ((45, 75), (0, 20)),
    CType.ATTEMPTED: ((5, 10), (0, 30)),
    CType.CRISIS_INTERVENTION: ((60, 150), (15, 35)),
}

CHILD_NOTES: dict[str, tuple[str, ...]] = {
    CType.HOME_VISIT: (
        "Home visit with {first} and {guardian}. {first} attended school {days} of 5 days this "
        "week. Practised the calm-down plan from the service plan; {guardian} reports fewer "
        "evening outbursts. Next visit scheduled.",
        "Home visit. {Guardian} and {first} completed the family routine chart together. "
        "Discussed bedtime and screen-time limits; {first} agreed to try the new routine for "
        "two weeks. No safety concerns observed.",
        "Visited the family at home. {first} showed the coping cards made in therapy. "
        "{Guardian} asked about respite care; gave information on the respite program and "
        "will follow up.",
        "Home visit on goal 2 (school attendance). Walked through the morning routine with "
        "{guardian}; the bus schedule is a barrier. Will ask the school about transport.",
    ),
    CType.PHONE: (
        "Called {guardian} to check in. Medication refill picked up; {first} is sleeping "
        "better. No new concerns.",
        "Phone call with {guardian} to confirm Thursday's psychiatry appointment and arrange "
        "transport.",
        "{Guardian} called: {first} had a hard day at school after a conflict with a "
        "classmate. Reviewed the de-escalation steps used at home; will follow up at the next "
        "visit.",
    ),
    CType.FACE_TO_FACE: (
        "Met {first} and {guardian} at the agency office. Reviewed progress on the service "
        "plan goals and updated the strengths list.",
        "Met {first} at {school} at lunch with the counselor present. {first} says things are "
        "better with friends. Reviewed the check-in/check-out card.",
    ),
    CType.VIDEO: (
        "Video call with {guardian} and {first}: reviewed the week's goals; {first} rated mood "
        "6 out of 10.",
    ),
    CType.CASE_CONFERENCE: (
        "Case conference with {guardian}, the school counselor and the therapist. Agreed on "
        "consistent consequences at home and school; the counselor will send a daily "
        "behaviour report and CM will follow up on the IEP meeting date.",
    ),
    CType.ATTEMPTED: (
        "Scheduled home visit; no one home. Left a note and a voicemail for {guardian}.",
        "Called {guardian}; no answer and the voicemail box is full.",
        "",
    ),
}
HIV_NOTES: dict[str, tuple[str, ...]] = {
    CType.PHONE: (
        "Check-in call. {first} reports taking medication daily; the next viral load lab is "
        "on the 15th. Confirmed the bus pass is active.",
        "Called {first} to remind them of tomorrow's clinic appointment; attendance confirmed.",
    ),
    CType.FACE_TO_FACE: (
        "Met {first} at the clinic after the provider visit. Viral load undetectable. "
        "Discussed the housing application.",
        "Office visit: completed the housing assistance paperwork with {first} and submitted "
        "it to the housing authority.",
    ),
    CType.HOME_VISIT: (
        "Home visit. Reviewed the pill organiser with {first}: two missed doses this week "
        "after late shifts. Set phone reminders together.",
        "Home visit. {first} has enough food this week after the food bank referral; "
        "discussed a budget for utilities.",
    ),
    CType.VIDEO: (
        "Video check-in. {first} reports stable mood and adherence. Talked about disclosure to "
        "family; will revisit next time.",
    ),
    CType.CASE_CONFERENCE: (
        "Case conference with the clinic nurse and {first}: adherence plan and transport to "
        "appointments.",
    ),
    CType.ATTEMPTED: (
        "Called {first}; the number is disconnected. Sent a letter to the last known address.",
        "Went to the apartment for a scheduled visit; no answer.",
        "",
    ),
}
SUD_NOTES: dict[str, tuple[str, ...]] = {
    CType.FACE_TO_FACE: (
        "Met {first} at the office. Attended 3 of 3 group sessions this week; the treatment "
        "provider reports a negative screen. Talked through triggers around payday.",
        "Office visit. {first} reports cravings after a conflict with {partner}; reviewed the "
        "relapse-prevention plan and the sponsor's number.",
    ),
    CType.PHONE: (
        "Check-in call. {first} has a job interview on Friday; practised answers. Still "
        "attending IOP.",
        "Called {first} to confirm the IOP intake appointment and childcare for that afternoon.",
    ),
    CType.HOME_VISIT: (
        "Home visit. Living situation stable; roommate supportive. {first} went to two "
        "recovery meetings this week.",
    ),
    CType.VIDEO: (
        "Video session. {first} reviewed the week's recovery goals and named Saturday evenings "
        "as the riskiest time.",
    ),
    CType.CASE_CONFERENCE: (
        "Case conference with the outpatient counselor and {first}: agreed to add weekly peer "
        "support and continue IOP.",
    ),
    CType.ATTEMPTED: (
        "Missed the scheduled office visit; called and left a message.",
        "Texted and called to reschedule; no response yet.",
        "",
    ),
}
NOTES = {"child": CHILD_NOTES, "hiv-cfp": HIV_NOTES, "sud-op": SUD_NOTES}
# Collateral contacts: (who was spoken with, the note).
COLLATERAL_NOTES: dict[str, tuple[tuple[str, str], ...]] = {
    "child": (
        (
            "School counselor",
            "Spoke with the school counselor at {school} about attendance and the behaviour "
            "plan. Counselor reports improvement in class and will share weekly attendance.",
        ),
        (
            "Therapist",
            "Collateral call with {first}'s therapist to coordinate goals for anxiety; the "
            "therapist will add exposure practice to sessions.",
        ),
        (
            "Psychiatrist's nurse",
            "Call with the psychiatrist's nurse about a side-effect question from {guardian}; "
            "the nurse will call the family back today.",
        ),
    ),
    "hiv-cfp": (
        (
            "Clinic nurse",
            "Spoke with the clinic nurse about {first}'s missed lab appointment; rescheduled "
            "for next week.",
        ),
        (
            "Ryan White benefits coordinator",
            "Call with the Ryan White benefits coordinator to renew {first}'s ADAP enrollment; "
            "documents sent.",
        ),
    ),
    "sud-op": (
        (
            "Probation officer",
            "Spoke with {first}'s probation officer: compliant with the treatment requirement. "
            "Release of information on file.",
        ),
        (
            "Outpatient counselor",
            "Call with the outpatient counselor: {first} attends consistently; the counselor "
            "recommends stepping down to standard outpatient next month.",
        ),
        (
            "Detox discharge planner",
            "Call with the detox unit's discharge planner about {first}'s move to outpatient; "
            "intake booked for Monday.",
        ),
    ),
}
CASE_CONFERENCE_PARTICIPANTS = {
    "child": "{first}, {guardian}, school counselor, therapist",
    "hiv-cfp": "{first}, clinic nurse",
    "sud-op": "{first}, outpatient counselor",
}
# The few crisis interventions: (kind of client, local time, where, the note a supervisor reads).
CRISIS_NOTES: tuple[tuple[str, dt.time, str, str], ...] = (
    (
        "child",
        dt.time(19, 40),
        "Client's home",
        "On call: {Guardian} called at 7:40 pm; {first} had locked the bedroom door and said "
        "they did not want to be here anymore. Went to the home with the case manager. Suicide "
        "risk screen: moderate (ideation, no plan, no access to means found). Safety plan "
        "updated with {first} and {guardian}; medications and sharps locked away. Mobile "
        "crisis consulted by phone; therapist appointment moved to tomorrow. Follow-up call "
        "scheduled for the morning.",
    ),
    (
        "child",
        dt.time(10, 30),
        "{school}",
        "Called by {school}: {first} threw a chair in class and left the building. Met "
        "{first} and {guardian} at the school; {first} calmed after 40 minutes with the "
        "de-escalation plan. No injuries. Agreed a shortened school day for the rest of the "
        "week and a meeting with the behaviour team.",
    ),
    (
        "child",
        dt.time(16, 0),
        "Client's home",
        "During a visit {first} disclosed being hit with a belt by an adult in the home, with "
        "marks on the arm. Report made to Child Protective Services as a mandated reporter "
        "(reference recorded in the file); supervisor consulted. {first} stayed with "
        "{guardian}, who was not the adult named, pending the CPS response.",
    ),
    (
        "hiv-cfp",
        dt.time(9, 15),
        "By phone",
        "{first} called from a friend's phone after a partner assaulted them last night. "
        "No injuries needing medical care. Completed a domestic violence safety plan; "
        "gave the hotline number and shelter options; {first} chose to stay with a friend. "
        "Advocate appointment arranged for tomorrow; clinic visit kept.",
    ),
    (
        "sud-op",
        dt.time(21, 10),
        "By phone",
        "{first} called intoxicated after a relapse, saying things were hopeless. Stayed on "
        "the line and brought in mobile crisis; risk screen low once sober, no plan. "
        "Naloxone kit confirmed at home. Detox bed found for the morning; {partner} will drive.",
    ),
)
