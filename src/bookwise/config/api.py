"""The JSON API at /api/ (OpenAPI docs at /api/docs): one error shape for every failure,
`{"message": ..., "extra": {...}}`, and session or token authentication."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import DataError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import URLPattern
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.docs import ABS_TPL_PATH
from ninja.parser import Parser
from ninja.security import APIKeyHeader, SessionAuth

from bookwise.accounts.api import router as accounts_router
from bookwise.accounts.api_reps import router as reps_router
from bookwise.agreements.api import router as agreements_router
from bookwise.commissions.api import router as commissions_router
from bookwise.contacts.api import router as contacts_router
from bookwise.core.errors import ApplicationError
from bookwise.core.models import ApiToken
from bookwise.core.requests import current_request_id
from bookwise.dashboard.api import router as dashboard_router
from bookwise.goals.api import router as goals_router
from bookwise.imports.api import router as imports_router
from bookwise.jobs.api import router as jobs_router
from bookwise.plans.api import router as plans_router
from bookwise.rebalance.api import router as rebalance_router
from bookwise.retention.api import router as retention_router
from bookwise.team.api import router as team_router
from bookwise.transfers.api import router as transfers_router


class TokenAuth(APIKeyHeader):
    """`Authorization: Token <key>` (or `Bearer <key>`, what most HTTP clients send for a
    token) with a key from `bookwise token USERNAME`; the scheme's case does not matter."""

    param_name = "Authorization"
    schemes = ("token", "bearer")

    def authenticate(self, request: HttpRequest, key: str | None):
        scheme, _, value = (key or "").partition(" ")
        if scheme.lower() not in self.schemes or not value.strip():
            return None
        user = ApiToken.user_for(value.strip())
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


class NulInText(ValueError):
    """A JSON body with the NUL character in a text: PostgreSQL cannot store it (and SQLite
    would keep it silently), so it is refused on every database, naming the field."""

    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


def _nul_field(data: Any, path: str = "") -> str | None:
    """The dotted path of the first text (key or value) in `data` holding a NUL, else None."""
    if isinstance(data, str):
        return path if "\x00" in data else None
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else []
    for key, value in items:
        where = f"{path}.{key}" if path else str(key)
        if "\x00" in str(key):
            return where
        found = _nul_field(value, where)
        if found is not None:
            return found
    return None


class JsonParser(Parser):
    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = super().parse_body(request)
        field = _nul_field(data)
        if field is not None:
            raise NulInText(field)
        return data


def docs_behind_sign_in(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """/api/docs and /api/openapi.json: open in development, for signed-in users only in
    production (settings.API_DOCS_PUBLIC); the page sends to sign-in, the JSON answers 401."""

    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if settings.API_DOCS_PUBLIC or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        if request.path.endswith(".json"):
            return JsonResponse({"message": "Authentication required.", "extra": {}}, status=401)
        return redirect_to_login(request.get_full_path())

    return guarded


ERROR_SCHEMA = {
    "title": "Error",
    "type": "object",
    "description": "Every failure: a message for people, details for machines (field, errors, request_id).",
    "properties": {"message": {"type": "string"}, "extra": {"type": "object", "additionalProperties": True}},
    "required": ["message", "extra"],
}
ERROR_ANSWERS = {
    "400": "The body is not JSON.",
    "401": "Not signed in, or the token is unknown or expired.",
    "403": "Signed in, but this role may not do this.",
    "404": "No such object, or not in the caller's scope (the same answer for both).",
    "422": "A value is invalid or breaks a rule; `extra.field` names it.",
    "500": "Our fault: logged, and `extra.request_id` finds the log line.",
}
WRITE_ANSWERS = {"409": "The object's state does not allow this now (e.g. an open transfer already exists)."}
WRITES = {"post", "put", "patch", "delete"}


class BookwiseAPI(NinjaAPI):
    """NinjaAPI whose OpenAPI document names every error answer an operation can give, all in
    the one shape (components/schemas/Error)."""

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: dict | None = None) -> Any:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
        ref = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
        for operations in schema["paths"].values():
            for method, operation in operations.items():
                answers = ERROR_ANSWERS | (WRITE_ANSWERS if method in WRITES else {})
                for code, description in answers.items():
                    operation["responses"].setdefault(code, {"description": description, "content": ref})
        return schema


class OfflineSwagger(Swagger):
    """/api/docs from the Swagger UI files django-ninja ships (served as static files), never
    from a CDN: django-ninja renders its CDN page when it is not an installed app, which it is
    not here (docs/architecture.md), so that page is its bundled one. Bookwise works offline."""

    template_cdn = str(ABS_TPL_PATH / "swagger.html")


api = BookwiseAPI(
    title="Bookwise API",
    version="1",
    description="The book of business: accounts, reps, orders, ownership, reports.",
    auth=[TokenAuth(), CookieSessionAuth()],
    parser=JsonParser(),
    docs=OfflineSwagger(),
    docs_decorator=docs_behind_sign_in,
)
logger = logging.getLogger("bookwise.api")


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
    if any(len(e.get("loc", ())) == 2 and e["loc"][0] == "body" for e in exc.errors):
        message = "The request needs a JSON body (Content-Type: application/json)."
        return _error(request, message, 422, {"field": "", "errors": exc.errors})
    texts = [_error_text(e) for e in exc.errors] or [("", "Invalid input.")]
    message = " ".join(dict.fromkeys(text for _, text in texts))
    return _error(request, message, 422, {"field": texts[0][0], "errors": exc.errors})


@api.exception_handler(AuthenticationError)
def authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, "Authentication required.", 401)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    cause = exc.__cause__
    if isinstance(cause, NulInText):
        label = field_label(cause.field.split(".")[-1])
        message = f"{label}: a text may not contain the NUL character (\\u0000)."
        return _error(request, message, 422, {"field": cause.field})
    if isinstance(cause, ValueError):  # the body did not parse
        return _error(request, "The request body is not JSON (send Content-Type: application/json).", 400)
    return _error(request, str(exc), exc.status_code)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, "Not found.", 404)


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _error(request, str(exc) or "You may not do this.", 403)


@api.exception_handler(DataError)
def data_error(request: HttpRequest, exc: DataError) -> HttpResponse:
    """A value the database refuses (too long, out of range, a NUL in a path): the caller's
    input, so a 422, never a 500. The endpoints' schemas bound what they can; this is the net."""
    logger.warning("API input refused by the database: %s", exc)
    return _error(request, f"A value is too long or out of range ({str(exc).strip()}).", 422)


@api.exception_handler(Exception)
def unexpected_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    """Anything else is our fault: logged with its traceback and the request's id, answered in
    the API's shape with that id and nothing of the error (never a traceback, even under DEBUG)."""
    request_id = current_request_id()
    logger.error("API error on %s %s (request %s)", request.method, request.path, request_id, exc_info=exc)
    message = f"Something went wrong on our side; it has been logged (request {request_id})."
    return _error(request, message, 500, {"request_id": request_id})


@csrf_exempt  # it changes nothing: a POST to a wrong path learns the path is wrong, not "CSRF"
def endpoint_not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Any /api/ path no endpoint has (config/urls.py sends it here): JSON, like the rest."""
    message = f"No such API endpoint: {request.method} {request.path} (the endpoints are at /api/docs)."
    return JsonResponse({"message": message, "extra": {}}, status=404)


def _json_405(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """ninja answers a method a path does not have with a plain-text 405; say it in the shape."""

    @wraps(view)  # keeps csrf_exempt
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code != 405 or response.get("Content-Type", "").startswith("application/json"):
            return response
        allowed = response.get("Allow", "")
        message = f"{request.method} is not allowed on {request.path} (allowed: {allowed})."
        answer = JsonResponse({"message": message, "extra": {"allowed": allowed}}, status=405)
        answer["Allow"] = allowed
        return answer

    return wrapped


def api_urls() -> tuple[list[Any], str, str]:
    """`api.urls` for config/urls.py, every view answering a wrong method in the API's shape."""
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = _json_405(pattern.callback)
    return patterns, app_name, namespace


api.add_router("/", reps_router)
api.add_router("/", accounts_router)
api.add_router("/", contacts_router)
api.add_router("/", imports_router)
api.add_router("/", retention_router)
api.add_router("/", agreements_router)
api.add_router("/", transfers_router)
api.add_router("/", commissions_router)
api.add_router("/", plans_router)
api.add_router("/", rebalance_router)
api.add_router("/", team_router)
api.add_router("/", dashboard_router)
api.add_router("/", goals_router)
api.add_router("/", jobs_router)
