"""Indexes for the pages measured at 100,000 clients (manage.py benchmark, issue 6).

- client_registered_team_id (registered_team, id) replaces client_registered_team
  (registered_team): Client.objects.visible_to reads a team's registered clients not yet
  enrolled from the index alone (API client list, duplicate search at intake).
- client_record_number_upper: registration's and the caseload search's case-insensitive
  record-number match (iexact) without scanning every client.
- enrollment_team_covering (team, status, client) INCLUDE (id, case_manager, program)
  replaces enrollment_team (team, status): a team's enrollments with what team lists join on,
  read from the index alone (Client.objects.visible_to, the referral list of a team, the
  supervisor's dashboard).
"""

import django.db.models.functions.text
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("clients", "0001_initial"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="client", name="client_registered_team"),
        migrations.AddIndex(
            model_name="client",
            index=models.Index(fields=["registered_team", "id"], name="client_registered_team_id"),
        ),
        migrations.AddIndex(
            model_name="client",
            index=models.Index(
                django.db.models.functions.text.Upper("record_number"),
                name="client_record_number_upper",
            ),
        ),
        migrations.RemoveIndex(model_name="enrollment", name="enrollment_team"),
        migrations.AddIndex(
            model_name="enrollment",
            index=models.Index(
                fields=["team", "status", "client"],
                include=("id", "case_manager", "program"),
                name="enrollment_team_covering",
            ),
        ),
    ]
