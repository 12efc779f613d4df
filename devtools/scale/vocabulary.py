"""The words of the synthetic agency: names, places, programs, notes and the shapes of
referrals, drawn from by every part of the loader."""

from __future__ import annotations

from typing import Any

from clients.models import Contact
from referrals.models import ReferralStatus, ServiceType
from serviceplans.models import Barrier
from supervision.models import FlagRule


def _words(text: str) -> list[str]:
    return text.split()


FEMALE_NAMES = _words(
    """
Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Lisa Nancy Betty
Sandra Margaret Ashley Kimberly Emily Donna Michelle Carol Amanda Melissa Deborah Stephanie
Rebecca Sharon Laura Cynthia Dorothy Amy Kathleen Angela Shirley Emma Brenda Pamela Nicole
Anna Samantha Katherine Christine Debra Rachel Carolyn Janet Maria Olivia Heather Helen
Catherine Diane Julie Victoria Joyce Lauren Kelly Christina Ruth Joan Virginia Judith Evelyn
Hannah Andrea Megan Cheryl Jacqueline Madison Teresa Abigail Sophia Martha Sara Gloria
Janice Kathryn Ann Isabella Judy Charlotte Julia Grace Amber Alice Jean Denise Frances
Danielle Marilyn Natalie Beverly Diana Brittany Theresa Kayla Alexis Doris Lori Tiffany
Guadalupe Rosa Lucia Camila Valeria Ximena Aaliyah Leah
    """
)
MALE_NAMES = _words(
    """
James Robert John Michael David William Richard Joseph Thomas Christopher Charles Daniel
Matthew Anthony Mark Donald Steven Andrew Paul Joshua Kenneth Kevin Brian Timothy Ronald
George Jason Edward Jeffrey Ryan Jacob Nicholas Gary Eric Jonathan Stephen Larry Justin
Scott Brandon Benjamin Samuel Gregory Alexander Patrick Frank Raymond Jack Dennis Jerry
Tyler Aaron Jose Adam Nathan Henry Zachary Douglas Peter Kyle Noah Ethan Jeremy Christian
Walter Keith Austin Roger Terry Sean Gerald Carl Dylan Harold Jordan Jesse Bryan Lawrence
Arthur Gabriel Bruce Logan Billy Joe Alan Juan Elijah Willie Albert Wayne Randy Mason
Vincent Liam Roy Bobby Caleb Bradley Russell Lucas Luis Carlos Miguel Diego Mateo Ali Omar
    """
)
SURNAMES = _words(
    """
Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez
Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris
Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill
Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts Gomez Phillips
Evans Turner Diaz Parker Cruz Edwards Collins Reyes Stewart Morris Morales Murphy Cook
Rogers Gutierrez Ortiz Morgan Cooper Peterson Bailey Reed Kelly Howard Ramos Kim Cox Ward
Richardson Watson Brooks Chavez Wood James Bennett Gray Mendoza Ruiz Hughes Price Alvarez
Castillo Sanders Patel Myers Long Ross Foster Jimenez Powell Jenkins Perry Russell Sullivan
Bell Coleman Butler Henderson Barnes Gonzales Fisher Vasquez Simmons Romero Jordan Patterson
Alexander Hamilton Graham Reynolds Griffin Wallace Moreno West Cole Hayes Bryant Herrera
Gibson Ellis Tran Medina Aguilar Stevens Murray Ford Castro Marshall Owens Harrison
Fernandez McDonald Woods Washington Kennedy Wells Vargas Henry Chen Freeman Webb Tucker
Guzman Burns Crawford Olson Simpson Porter Hunter Gordon Mendez Silva Shaw Snyder Mason
Dixon Munoz Hunt Hicks Holmes Palmer Wagner Black Robertson Boyd Rose Stone Salazar Fox
Warren Mills Meyer Rice Schmidt Garza Daniels Ferguson Nichols Stephens Soto Weaver Ryan
Gardner Payne Grant Dunn Kelley Spencer Hawkins Arnold Pierce Vazquez Hansen Peters Santos
Hart Bradley Knight Elliott Cunningham Duncan Armstrong Hudson Carroll Lane Riley Andrews
Alvarado Ray Delgado Berry Perkins Hoffman Johnston Matthews Pena Richards Contreras Willis
Carpenter Lawrence Sandoval Guerrero George Chapman Rios Estrada Ortega Watkins Greene Nunez
Wheeler Valdez Harper Burke Larson Santiago Maldonado Morrison Franklin Carlson Austin
Dominguez Carr Lawson Jacobs Obrien Lynch Singh Vega Bishop Montgomery Oliver Jensen Harvey
Williamson Gilbert Dean Sims Espinoza Howell Li Wong Reid Hanson Le McCoy Garrett Burton
Fuller Wang Weber Welch Rojas Lucas Marquez Fields Park Yang Little Banks Padilla Day Walsh
Bowman Schultz Luna Fowler Mejia Davidson Acosta Brewer May Holland Juarez Newman Pearson
Curtis Cortez Douglas Schneider Joseph Barrett Navarro Figueroa Keller Avila Wade Molina
Stanley Hopkins Campos Barnett Bates Chambers Caldwell Beck Lambert Miranda Byrd Craig Ayala
Lowe Frazier Powers Neal Leonard Gregory Carrillo Sutton Fleming Rhodes Shelton Schwartz
Norris Jennings Watts Duran Walters Cohen McDaniel Moran Parks Steele Vaughn Becker Holt
Deleon Barker Terry Hale Leon Hail Benson Haynes Horton Miles Lyons Pham Sorensen
Christensen Larsen Petersen Madsen Jorgensen Nielsen Hatch Okafor Natarajan
    """
)
# A realistic head: the commonest surname is about 1% of clients, as Smith is in the US (a
# steeper head would make the duplicate search's common-name case unrealistically slow).
SURNAME_WEIGHTS = [1 / (rank + 20) ** 0.75 for rank in range(len(SURNAMES))]
# The long tail: a third of the clients have one of 800 rarer names made of two parts.
SURNAME_PARTS = (
    _words(
        """
        Ander Bald Black Brad Brook Car Cole Dal Ed Fair Gar Hal Hart Kirk Lang Lind Mar Mid Nor
        Ow Pen Ral Ros Stan Thorn Wal Wes Whit Win Ash Bel Cran Dun Fen Gil Hol Mor Pres Rad Sel
        """
    ),
    _words(
        """
        by croft dale field ford gate ham ley low mont more ridge ton ville well wood worth
        stead brook burn
        """
    ),
)
RARE_SURNAME_SHARE = 0.33
CITIES = (
    ("Boise", "83702"),
    ("Meridian", "83642"),
    ("Nampa", "83651"),
    ("Caldwell", "83605"),
    ("Idaho Falls", "83401"),
    ("Pocatello", "83201"),
    ("Coeur d'Alene", "83814"),
    ("Twin Falls", "83301"),
    ("Post Falls", "83854"),
    ("Lewiston", "83501"),
    ("Rexburg", "83440"),
    ("Eagle", "83616"),
    ("Kuna", "83634"),
    ("Moscow", "83843"),
    ("Mountain Home", "83647"),
    ("Blackfoot", "83221"),
    ("Burley", "83318"),
    ("Jerome", "83338"),
    ("Hayden", "83835"),
    ("Sandpoint", "83864"),
)
STREETS = (
    "Main St",
    "Oak Ave",
    "State St",
    "Maple Dr",
    "River Rd",
    "Park Blvd",
    "Elm St",
    "Cedar Ln",
    "Fairview Ave",
    "Franklin Rd",
    "Overland Rd",
    "Chinden Blvd",
)
LANGUAGES = (("English", 85), ("Spanish", 12), ("Vietnamese", 1), ("Arabic", 1), ("Bosnian", 1))


def _program(
    code: str, name: str, *, contacts: int, reviews: int, follow_up: int, part2: bool = False
) -> dict[str, Any]:
    """A synthetic program: the assessment standards every program has, and its own
    maximum days between contacts, plan review interval and referral follow-up."""
    return {
        "code": code,
        "name": f"{name} (synthetic)",
        "description": "Synthetic program for the scale benchmark.",
        "is_part2": part2,
        "initial_assessment_days": 30,
        "reassessment_interval_months": 12,
        "max_days_between_contacts": contacts,
        "plan_review_interval_days": reviews,
        "referral_follow_up_days": follow_up,
    }


PROGRAMS: tuple[dict[str, Any], ...] = (
    _program("syn-cmh", "Children's Mental Health", contacts=30, reviews=90, follow_up=14),
    _program(
        "syn-sud", "Substance Use Outpatient", contacts=30, reviews=90, follow_up=14, part2=True
    ),
    _program("syn-hiv", "HIV Community Follow-up", contacts=45, reviews=180, follow_up=21),
)
PROGRAM_WEIGHTS = (40, 35, 25)
CHILDREN_PROGRAM = 0
SUBSTANCE_USE_PROGRAM = 1
# The share of substance-use enrollments that follow a discharge from detox.
AFTER_DETOX_SHARE = 0.2
PRESENTING_ISSUES = (
    (
        "Serious emotional disturbance; school refusal and conflict at home.",
        "Anxiety and withdrawal after a family loss.",
        "Aggressive outbursts at school; family asks for support.",
    ),
    (
        "Alcohol use disorder; referred by the court.",
        "Opioid use disorder in early recovery.",
        "Methamphetamine use; unstable housing.",
    ),
    (
        "Newly diagnosed; needs linkage to HIV medical care.",
        "Out of care for a year; re-engagement.",
        "Housing and benefits after a hospital stay.",
    ),
)
CONTACT_TYPES = (
    Contact.Type.FACE_TO_FACE,
    Contact.Type.HOME_VISIT,
    Contact.Type.PHONE,
    Contact.Type.VIDEO,
    Contact.Type.COLLATERAL,
    Contact.Type.CASE_CONFERENCE,
    Contact.Type.CRISIS_INTERVENTION,
    Contact.Type.ATTEMPTED,
)
CONTACT_TYPE_WEIGHTS = (28, 14, 30, 8, 8, 3, 2, 7)
ATTEMPTED = CONTACT_TYPES.index(Contact.Type.ATTEMPTED)
# Types that relate to a service-plan goal (clinical case management).
GOAL_TYPES = frozenset({0, 1, 3, 5})
LOCATIONS = ("Office", "Client's home", "Office", "Video call", "Phone", "Office", "Community", "")
CONTACT_NOTES = (
    "Reviewed progress on the plan goals; client reports a better week.",
    "Discussed medication adherence and the next prescriber appointment.",
    "Helped complete the housing application; follow up on documents.",
    "Client missed school twice; agreed on a plan with the parent.",
    "Checked in after the crisis last week; safety plan reviewed and in place.",
    "Transport arranged for the clinic appointment on Thursday.",
    "Client attended the group and found it helpful.",
    "Talked through stressors at work; practised coping skills.",
    "Parent reports fewer outbursts at home since the new routine.",
    "Benefits renewal submitted; waiting for the decision letter.",
    "Coordinated with the provider about the waitlist and intake date.",
    "Client is engaged and motivated; next steps agreed.",
    "Reviewed the budget and upcoming bills together.",
    "Left a voicemail and sent a text; will try again tomorrow.",
    "Collateral call with the school counsellor about attendance.",
    "Case conference with the family and the therapist; roles agreed.",
)
CONTACT_PARTICIPANTS = ("Client", "Client and parent", "Client", "Client and partner", "")
ASSESSMENT_SUMMARIES = (
    "Needs identified in housing and mental health; strengths in family support.",
    "Moderate substance-use needs; motivated for outpatient treatment.",
    "Stable housing; needs linkage to medical care and benefits.",
    "School and family functioning are the priority domains.",
)
GOAL_WORDS = (
    ("I want to feel calmer at school.", "mental_health"),
    ("I want to stay sober and keep my job.", "substance_use"),
    ("I want a safe place of my own to live.", "housing"),
    ("I want to see my doctor regularly and take my medicine.", "physical_health"),
    ("I want us to argue less at home.", "family"),
    ("I want to finish my GED.", "education_employment"),
    ("I want to manage my money and pay my bills on time.", "daily_living"),
    ("I want to make friends and do things I enjoy.", "social"),
)
ACTIONS = (
    ("Meet weekly to practise coping skills.", "Weekly", "Office", "To reduce anxiety."),
    ("Attend the outpatient group.", "Twice a week", "Clinic", "To support recovery."),
    (
        "Complete the housing application.",
        "By the end of the month",
        "Housing office",
        "To secure stable housing.",
    ),
    ("Keep the monthly medical appointment.", "Monthly", "Clinic", "To stay in care."),
    ("Family session with the therapist.", "Every other week", "Home", "To improve communication."),
)
BARRIERS = (
    (Barrier.Kind.TRANSPORT, "No car; bus route is long.", "Bus passes and ride scheduling."),
    (Barrier.Kind.WAITLIST, "Provider waitlist of six weeks.", "Interim weekly check-ins."),
    (Barrier.Kind.RELUCTANCE, "Unsure about treatment.", "Motivational interviewing."),
    (Barrier.Kind.CHILDCARE, "No childcare during appointments.", "Arrange childcare."),
)
PROVIDER_WORDS = (
    "Valley",
    "Summit",
    "River",
    "Cedar",
    "Pioneer",
    "Canyon",
    "Sawtooth",
    "Snake River",
    "Gem State",
    "Treasure Valley",
    "Portneuf",
    "Panhandle",
)
PROVIDER_KINDS = (
    (ServiceType.MENTAL_HEALTH, "Counseling Center", "Outpatient therapy"),
    (ServiceType.SUBSTANCE_USE, "Recovery Services", "Intensive outpatient"),
    (ServiceType.CO_OCCURRING, "Integrated Care", "Co-occurring treatment"),
    (ServiceType.HOUSING, "Housing Authority", "Rapid rehousing"),
    (ServiceType.MEDICAL_HIV, "Health Clinic", "HIV primary care"),
    (ServiceType.SOCIAL_SERVICES, "Family Services", "Benefits assistance"),
    (ServiceType.EDUCATION_EMPLOYMENT, "Workforce Center", "Job readiness"),
)
REFERRAL_CATEGORIES = ["identifying", "assessment"]
# Where a referral ends up (its full path), for referrals old enough to have got there.
REFERRAL_PATHS: tuple[tuple[tuple[str, ...], int], ...] = (
    ((ReferralStatus.SENT,), 8),
    ((ReferralStatus.SENT, ReferralStatus.WAITLISTED), 5),
    ((ReferralStatus.SENT, ReferralStatus.ACCEPTED), 6),
    ((ReferralStatus.SENT, ReferralStatus.DECLINED_BY_PROVIDER, ReferralStatus.CLOSED), 5),
    ((ReferralStatus.SENT, ReferralStatus.ACCEPTED, ReferralStatus.APPOINTMENT_SCHEDULED), 6),
    (
        (
            ReferralStatus.SENT,
            ReferralStatus.ACCEPTED,
            ReferralStatus.APPOINTMENT_SCHEDULED,
            ReferralStatus.ATTENDED,
        ),
        5,
    ),
    (
        (
            ReferralStatus.SENT,
            ReferralStatus.ACCEPTED,
            ReferralStatus.APPOINTMENT_SCHEDULED,
            ReferralStatus.ATTENDED,
            ReferralStatus.ENGAGED,
        ),
        40,
    ),
    (
        (
            ReferralStatus.SENT,
            ReferralStatus.ACCEPTED,
            ReferralStatus.APPOINTMENT_SCHEDULED,
            ReferralStatus.CLOSED,
        ),
        25,
    ),
)
FINISHED_REFERRAL = frozenset({ReferralStatus.ENGAGED, ReferralStatus.CLOSED})
VARIANCE_RULES = (
    FlagRule.INITIAL_ASSESSMENT_OVERDUE,
    FlagRule.ASSESSMENT_UPDATE_OVERDUE,
    FlagRule.NO_SERVICE_PLAN,
    FlagRule.PLAN_REVIEW_OVERDUE,
    FlagRule.MONITORING_GAP,
)
