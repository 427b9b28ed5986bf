from bookwise.core.admin import register_read_only

from .models import Assessment, DevelopmentAction, FirstLine, LineMonth, LineRollupState, Rating

# The rollup is rebuilt by its service (team.rollup) only.
register_read_only(Assessment, Rating, DevelopmentAction, LineMonth, FirstLine, LineRollupState)
