"""On PostgreSQL, the database itself refuses overlapping assignments of the same role
(an exclusion constraint over the date range); elsewhere the service layer checks."""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE accounts_ownership ADD CONSTRAINT ownership_no_overlap_per_role
EXCLUDE USING gist (
    account_id WITH =,
    role WITH =,
    daterange(start_date, end_date, '[]') WITH &&
);
"""
DROP = "ALTER TABLE accounts_ownership DROP CONSTRAINT IF EXISTS ownership_no_overlap_per_role;"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
