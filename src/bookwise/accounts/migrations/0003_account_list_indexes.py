"""Indexes for the accounts list's sorts (name, potential) with the id tie-break, so a page
of 50 out of 50,000 accounts is read in index order instead of sorting the book.

Written as SQL with no model state on purpose: the same statement works on SQLite and
PostgreSQL, and `makemigrations` sees no difference with models.py. (If these move into
Account.Meta.indexes, wrap the AddIndex in SeparateDatabaseAndState with these names.)"""

from django.db import migrations

INDEXES = {
    "accounts_account_name_id_idx": "accounts_account (name, id)",
    "accounts_account_potential_id_idx": "accounts_account (potential_revenue, id)",
}


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_ownership_no_overlap_postgres")]

    operations = [
        migrations.RunSQL(
            sql=f"CREATE INDEX IF NOT EXISTS {name} ON {target}",
            reverse_sql=f"DROP INDEX IF EXISTS {name}",
        )
        for name, target in INDEXES.items()
    ]
