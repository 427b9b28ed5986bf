"""Indexes for the accounts list's sorts (name, potential) with the id tie-break, so a page
of 50 out of 50,000 accounts is read in index order instead of sorting the book, and a
covering index for the account page's revenue by month.

Written as SQL with no model state on purpose: the same statements work on SQLite and
PostgreSQL, and `makemigrations` sees no difference with models.py. (If these move into
Account.Meta.indexes, wrap the AddIndex in SeparateDatabaseAndState with these names.)"""

from django.db import migrations

INDEXES = {
    "accounts_account_name_id_idx": "accounts_account (name, id)",
    "accounts_account_potential_id_idx": "accounts_account (potential_revenue, id)",
    # The account page's monthly revenue: an index-only range per account (no table reads
    # for the 30,000 lines of the biggest account).
    "accounts_orderline_account_date_amount_idx": "accounts_orderline (account_id, order_date, amount)",
}
# "Potential, highest first, empty last": PostgreSQL can read it in index order only from an
# index built that way (SQLite has no NULLS LAST in indexes and sorts the right part).
POSTGRES_INDEXES = {
    "accounts_account_potential_desc_idx": "accounts_account (potential_revenue DESC NULLS LAST, id)",
}


def create_postgres_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, target in POSTGRES_INDEXES.items():
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {target}")


def drop_postgres_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in POSTGRES_INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_ownership_no_overlap_postgres")]

    operations = [
        *(
            migrations.RunSQL(
                sql=f"CREATE INDEX IF NOT EXISTS {name} ON {target}",
                reverse_sql=f"DROP INDEX IF EXISTS {name}",
            )
            for name, target in INDEXES.items()
        ),
        migrations.RunPython(create_postgres_indexes, drop_postgres_indexes),
    ]
