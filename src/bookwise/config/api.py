"""The JSON API at /api/ (OpenAPI docs at /api/docs): one error shape for every failure,
`{"message": ..., "extra": {...}}`, and session or token authentication."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import APIKeyHeader, SessionAuth

from bookwise.accounts.api import router as accounts_router
from bookwise.accounts.api_reps import router as reps_router
from bookwise.commissions.api import router as commissions_router
from bookwise.core.errors import ApplicationError
from bookwise.dashboard.api import router as dashboard_router
from bookwise.imports.api import router as imports_router
from bookwise.plans.api import router as plans_router
from bookwise.retention.api import router as retention_router
from bookwise.team.api import router as team_router
from bookwise.transfers.api import router as transfers_router


class TokenAuth(APIKeyHeader):
    """`Authorization: Token <key>` with a key from `bookwise token USERNAME`."""

    param_name = "Authorization"

    def authenticate(self, request: HttpRequest, key: str | None):
        from bookwise.core.models import ApiToken

        if not key or not key.startswith("Token "):
            return None
        user = ApiToken.user_for(key.removeprefix("Token ").strip())
        if user is not None:
            request.user = user
        return user


class CookieSessionAuth(SessionAuth):
    """Django's session, for the browser: only when a session cookie came with the request,
    and then a write needs its CSRF token. A script that sends a token and no cookie is never
    asked for one."""

    def _get_key(self, request: HttpRequest) -> str | None:
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return None
        return super()._get_key(request)


api = NinjaAPI(
    title="Bookwise API",
    version="1",
    description="The book of business: accounts, reps, orders, ownership, reports.",
    auth=[TokenAuth(), CookieSessionAuth()],
)


def _error(request: HttpRequest, message: str, status: int, extra: dict | None = None) -> HttpResponse:
    return api.create_response(request, {"message": message, "extra": extra or {}}, status=status)


@api.exception_handler(ApplicationError)
def application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    return _error(request, exc.message, exc.status_code, exc.extra)


#: labels that humanising the field name gets wrong; every other field reads as its name
#: with spaces ("meeting_date" -> "Meeting date")
FIELD_LABELS = {
    "co_coverage_days": "Co-coverage days",
    "to": "Incoming rep",
    "account_id": "Account",
    "from_rep": "Leaving rep",
    "backdate_reason": "Back-dating reason",
}


def field_label(name: str) -> str:
    return FIELD_LABELS.get(name) or name.replace("_", " ").strip().capitalize()


def _error_field(loc: list) -> list[str]:
    """The field's path without where it came from (and the body parameter's own name)."""
    parts = [str(p) for p in loc]
    if parts[:1] == ["body"]:
        parts = parts[2:] if len(parts) > 2 else parts[1:]
    elif parts[:1] in (["query"], ["path"], ["header"], ["cookie"], ["form"]):
        parts = parts[1:]
    return parts


def _error_text(error: dict) -> tuple[str, str]:
    """(field, message in the user's words) of one pydantic error."""
    parts = _error_field(list(error.get("loc", [])))
    names = [p for p in parts if not p.isdigit()]
    msg = "required" if error.get("type") == "missing" else str(error.get("msg", "invalid"))
    msg = msg[:1].lower() + msg[1:]
    if not names:
        return "", msg[:1].upper() + msg[1:] + "."
    return ".".join(parts), f"{field_label(names[-1])}: {msg}."


@api.exception_handler(NinjaValidationError)
def validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    """422 naming each field by its label ("Effective date: ..."), not its JSON name."""
    texts = [_error_text(e) for e in exc.errors] or [("", "Invalid input.")]
    message = " ".join(dict.fromkeys(text for _, text in texts))
    return _error(request, message, 422, {"field": texts[0][0], "errors": exc.errors})


@api.exception_handler(AuthenticationError)
def authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, "Authentication required.", 401)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _error(request, str(exc), exc.status_code)


api.add_router("/", reps_router)
api.add_router("/", accounts_router)
api.add_router("/", imports_router)
api.add_router("/", retention_router)
api.add_router("/", transfers_router)
api.add_router("/", commissions_router)
api.add_router("/", plans_router)
api.add_router("/", team_router)
api.add_router("/", dashboard_router)
