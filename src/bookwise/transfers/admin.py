from bookwise.core.admin import register_read_only

from .models import HandoffInterview, InterviewContact, PlanLine, ReassignmentPlan, Transfer

# Transfers move through their workflow on the transfers pages (audited, locked).
register_read_only(Transfer, HandoffInterview, InterviewContact, ReassignmentPlan, PlanLine)
