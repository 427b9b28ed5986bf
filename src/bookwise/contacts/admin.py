from bookwise.core.admin import register_read_only

from .models import Contact, Relationship

# Contacts are edited on the account page and the API (checked, audited); the admin reads.
register_read_only(Contact, Relationship)
