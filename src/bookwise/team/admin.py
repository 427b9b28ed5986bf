from bookwise.core.admin import register_read_only

from .models import Assessment, DevelopmentAction, Rating

register_read_only(Assessment, Rating, DevelopmentAction)
