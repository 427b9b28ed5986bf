from bookwise.core.admin import register_read_only

from .models import AccountMonth, AccountQuarter, RollupState, TierPin

# Pins are set on the tiers page (audited, admins only); the rollup is rebuilt by its service.
register_read_only(TierPin, AccountMonth, AccountQuarter, RollupState)
