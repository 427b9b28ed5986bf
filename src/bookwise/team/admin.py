from bookwise.core.admin import register_read_only

from .models import (
    Assessment,
    DevelopmentAction,
    FirstLine,
    LineMonth,
    LineRollupState,
    NonWorkingDay,
    Rating,
)

# The rollup is rebuilt by its service (team.rollup) only.
register_read_only(
    Assessment, Rating, DevelopmentAction, LineMonth, FirstLine, LineRollupState, NonWorkingDay
)  # days off: /team/calendar/
