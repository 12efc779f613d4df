"""The default record-review checklist, from the seeds (issue 12). Each one's ``data_rule`` is
the function of quality/benchmarks.py that answers it from the record."""

from django.db import migrations

DEFAULTS = [
    (
        "initial-assessment-30-days",
        "Comprehensive assessment within 30 days of application",
        "Idaho CMH clinical case management standard 7 (003_83bf9ff00bc1b54f)",
        "initial_assessment_on_time",
    ),
    (
        "assessment-updated-annually",
        "Assessment updated at least annually",
        "Idaho CMH clinical case management standard 8 (003_83bf9ff00bc1b54f)",
        "assessment_updated_annually",
    ),
    (
        "plan-goals-who-what-when-where-why",
        "Service plan goals say who, what, when, where and why, with the client's participation",
        "Idaho CMH standard 9 (003_83bf9ff00bc1b54f); IC&RC criteria 28 and 29 "
        "(002_e82a38c4edc6a7a3)",
        "plan_goals_complete",
    ),
    (
        "referrals-followed-up",
        "Referrals followed up",
        "TIP 27 / ACCSA module 19, linkage (001_3c08ce069f179acb)",
        "referrals_followed_up",
    ),
    (
        "contacts-documented",
        "Contacts documented (no monitoring gap)",
        "Idaho CMH standards 6 and 10 (003_83bf9ff00bc1b54f); TIP 27 staff log "
        "(001_3c08ce069f179acb)",
        "contacts_documented",
    ),
    (
        "consent-for-each-disclosure",
        "A consent on file for each disclosure",
        "IC&RC core function 7 (002_e82a38c4edc6a7a3); 42 CFR 2.31",
        "consent_for_each_disclosure",
    ),
    (
        "risk-screen-reviewed",
        "A positive risk screen reviewed by a supervisor",
        "CFP bulletin 18B-08, crisis guidance (000_2d0f29de25a5e807)",
        "risk_screen_reviewed",
    ),
]


def add_defaults(apps, schema_editor):
    Benchmark = apps.get_model("quality", "Benchmark")
    for position, (code, label, source, rule) in enumerate(DEFAULTS, start=1):
        Benchmark.objects.get_or_create(
            code=code,
            defaults={"label": label, "source": source, "data_rule": rule, "position": position},
        )


class Migration(migrations.Migration):
    dependencies = [("quality", "0001_record_reviews")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
