from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import LoginView
from django.urls import include, path, re_path

from bookwise.accounts import urls as accounts_urls
from bookwise.core.throttle import ThrottledAuthenticationForm
from bookwise.core.urls import audit_urls
from bookwise.imports.views_export import account_export_csv
from bookwise.jobs.views import healthz, readyz
from bookwise.people.selectors import scope_for

from .api import api_urls, endpoint_not_found

admin.autodiscover()  # the apps' admin modules (settings: SimpleAdminConfig, not at start-up)


def reads_audit(user: object) -> bool:
    """Administrators, directors and sales ops (the people who see every book) read the audit
    trail."""
    return scope_for(user).everything


#: /accounts/export.csv is the imports app's view (it writes the import format; accounts is
#: below imports and may not import it), named `accounts:export` with the account pages
ACCOUNT_PAGES = (
    [path("export.csv", account_export_csv, name="export"), *accounts_urls.urlpatterns],
    accounts_urls.app_name,
)


urlpatterns = [
    path("login/", LoginView.as_view(authentication_form=ThrottledAuthenticationForm), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("admin/", admin.site.urls),
    path("api/", api_urls()),
    re_path(r"^api/(?P<rest>(?s:.*))$", endpoint_not_found),  # (?s): a newline in the path too
    path("accounts/", include(ACCOUNT_PAGES)),
    path("reps/", include("bookwise.accounts.urls_reps")),
    path("contacts/", include("bookwise.contacts.urls")),
    path("imports/", include("bookwise.imports.urls")),
    path("retention/", include("bookwise.retention.urls")),
    path("agreements/", include("bookwise.agreements.urls")),
    path("transfers/", include("bookwise.transfers.urls")),
    path("rebalance/", include("bookwise.rebalance.urls")),
    path("commissions/", include("bookwise.commissions.urls")),
    path("plans/", include("bookwise.plans.urls")),
    path("team/", include("bookwise.team.urls")),
    path("goals/", include("bookwise.goals.urls")),
    path("jobs/", include("bookwise.jobs.urls")),
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("audit/", include(audit_urls(can_read=reads_audit))),
    path("", include("bookwise.dashboard.urls")),
]
