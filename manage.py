#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casemgmt.settings")
    from casemgmt.database_roles import AS_OWNER_ENV, command_runs_as_owner

    # Migrations, the scale tools and backups connect as the tables' owner; everything else
    # as the app's role (casemgmt.database_roles).
    if command_runs_as_owner(sys.argv):
        os.environ[AS_OWNER_ENV] = "1"
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
