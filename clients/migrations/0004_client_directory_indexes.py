"""Indexes for the client directory (/clients/, issue 11).

- client_name_order (last_name, first_name, id): the unfiltered directory, a page in name
  order without sorting every client the viewer may see (an administrator: all of them).
- client_phone_digits: the search by phone, the reversed digits of the number
  (clients.models.ReversedDigits), so that a number typed without its area code, the end of
  the stored one, is a prefix the index serves.
- accesslog_user_viewed (user, client, occurred_at) WHERE action = 'viewed': "Recent clients",
  one user's views grouped by client from the index alone.
"""

import django.contrib.postgres.indexes
from django.conf import settings
from django.db import migrations, models

import clients.models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("clients", "0003_reassessment_interval_in_months"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="accesslog",
            index=models.Index(
                condition=models.Q(("action", "viewed")),
                fields=["user", "client", "occurred_at"],
                name="accesslog_user_viewed",
            ),
        ),
        migrations.AddIndex(
            model_name="client",
            index=models.Index(fields=["last_name", "first_name", "id"], name="client_name_order"),
        ),
        migrations.AddIndex(
            model_name="client",
            index=models.Index(
                django.contrib.postgres.indexes.OpClass(
                    clients.models.ReversedDigits("phone"), name="text_pattern_ops"
                ),
                name="client_phone_digits",
            ),
        ),
    ]
