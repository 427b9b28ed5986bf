"""Goals in the admin, read-only: they change through the goal pages, the API and the
command line, where a split is checked to add up and every change is audited."""

from bookwise.core.admin import register_read_only

from .models import Goal

register_read_only(Goal)
