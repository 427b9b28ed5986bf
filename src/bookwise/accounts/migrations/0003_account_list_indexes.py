"""Indexes for the accounts list's sorts (name, potential) with the id tie-break, so a page
of 50 out of 50,000 accounts is read in index order instead of sorting the book, and a
covering index for the account page's revenue by month.

Written as SQL with no model state on purpose: the same statement works on SQLite and
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


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_ownership_no_overlap_postgres")]

    operations = [
        migrations.RunSQL(
            sql=f"CREATE INDEX IF NOT EXISTS {name} ON {target}",
            reverse_sql=f"DROP INDEX IF EXISTS {name}",
        )
        for name, target in INDEXES.items()
    ]
