"""Bookwise settings: everything from the environment, safe by default.

- BOOKWISE_DATABASE_URL: database URL; default a SQLite file `bookwise.sqlite3` in the
  working directory. `postgresql://user@host:5432/name` switches to PostgreSQL (psycopg 3).
- BOOKWISE_ENV: `development` (default) or `production`. Production refuses to start
  without BOOKWISE_SECRET_KEY and BOOKWISE_ALLOWED_HOSTS.
- BOOKWISE_DEBUG: `True` or `False` (anything else is an error). Default: on for the
  development server (`bookwise runserver`) only; off for every other command (a command
  with DEBUG on keeps a log of every query it runs), the servers and the tests.

Production (docs/architecture.md, "Production settings") refuses to start with a secret key
Django calls weak (under 50 characters, under 5 distinct ones, or a `django-insecure-` one)
or with DEBUG on, and always sends HSTS, redirects to HTTPS, marks the cookies secure and
keeps the API docs behind sign-in. Every environment sends a Content-Security-Policy and
throttles sign-in (LOGIN_THROTTLE).
"""

from __future__ import annotations

import importlib.util
import os
import sys
import warnings
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from bookwise.core.security import DEFAULT_POLICY as DEFAULT_CSP

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    if value not in ("True", "False"):
        raise ImproperlyConfigured(f"{name} must be True or False, not {value!r}")
    return value == "True"


def database_from_url(url: str) -> dict:
    config: dict = dict(dj_database_url.parse(url, conn_max_age=60))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # One writer at a time, taken at BEGIN: no "database is locked" halfway through.
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
        config["CONN_MAX_AGE"] = 0
    return config


def _package_dir(name: str) -> Path:
    """Where the installed package `name` is (found without importing it)."""
    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None:
        raise ImproperlyConfigured(f"the {name} package is not installed")
    return Path(spec.origin).resolve().parent


ENVIRONMENT = os.environ.get("BOOKWISE_ENV", "development")
if ENVIRONMENT not in ("development", "production"):
    raise ImproperlyConfigured("BOOKWISE_ENV must be development or production")
PRODUCTION = ENVIRONMENT == "production"

SECRET_KEY = os.environ.get("BOOKWISE_SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("BOOKWISE_SECRET_KEY is required in production")
    SECRET_KEY = "development-only-insecure-key-do-not-use-in-production"  # noqa: S105


def development_server() -> bool:
    """Whether this process is Django's development server (`bookwise runserver`; the
    `bookwise` command says which command it runs in BOOKWISE_COMMAND)."""
    command = os.environ.get("BOOKWISE_COMMAND") or (sys.argv[1] if len(sys.argv) > 1 else "")
    return command == "runserver"


DEBUG = envbool("BOOKWISE_DEBUG", default=not PRODUCTION and development_server())


def weak_secret_key(key: str) -> bool:
    """As Django's own deploy check (security.W009) judges a key."""
    return len(key) < 50 or len(set(key)) < 5 or key.startswith("django-insecure-")


if PRODUCTION and weak_secret_key(SECRET_KEY):
    raise ImproperlyConfigured(
        "BOOKWISE_SECRET_KEY is too weak for production: it needs at least 50 characters, 5 of them "
        "different (make one with: python -c 'import secrets; print(secrets.token_urlsafe(50))')"
    )
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("BOOKWISE_DEBUG=True is refused in production: it shows tracebacks to users")
ALLOWED_HOSTS = [h for h in os.environ.get("BOOKWISE_ALLOWED_HOSTS", "").split(",") if h]
if not ALLOWED_HOSTS:
    if PRODUCTION:
        raise ImproperlyConfigured("BOOKWISE_ALLOWED_HOSTS is required in production")
    ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]", "testserver"]

DATABASE_URL = os.environ.get("BOOKWISE_DATABASE_URL", f"sqlite:///{Path.cwd() / 'bookwise.sqlite3'}")
DATABASES = {"default": database_from_url(DATABASE_URL)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    # the admin modules load with the URLs (config/urls.py), not with every command
    "django.contrib.admin.apps.SimpleAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # django-ninja is not an installed app: importing it brings pydantic, which only the API
    # (config/urls.py) needs; its templates and static files (the API docs) are found below
    "bookwise.core",
    "bookwise.people",
    "bookwise.accounts",
    "bookwise.contacts",
    "bookwise.imports",
    "bookwise.agreements",
    "bookwise.retention",
    "bookwise.transfers",
    "bookwise.commissions",
    "bookwise.plans",
    "bookwise.rebalance",
    "bookwise.team",
    "bookwise.goals",
    "bookwise.dashboard",
    "bookwise.demo",
]

MIDDLEWARE = [
    "bookwise.core.requests.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "bookwise.core.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "bookwise.core.middleware.ApplicationErrorMiddleware",
    "bookwise.imports.limits.UploadLimitMiddleware",  # before any process_view reads a body
]

ROOT_URLCONF = "bookwise.config.urls"
WSGI_APPLICATION = "bookwise.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates", _package_dir("ninja") / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "bookwise.config.navigation.navigation",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sign-in refused, even with the right password, after `account` failures for one username or
# `address` failures from one address within `minutes` (core/throttle.py); a success clears
# the username's failures.
AUTHENTICATION_BACKENDS = ["bookwise.core.throttle.ThrottledModelBackend"]
LOGIN_THROTTLE = {
    "account": int(os.environ.get("BOOKWISE_LOGIN_FAILURES_PER_ACCOUNT", "5")),
    "address": int(os.environ.get("BOOKWISE_LOGIN_FAILURES_PER_ADDRESS", "20")),
    "minutes": int(os.environ.get("BOOKWISE_LOGIN_LOCKOUT_MINUTES", "15")),
}
# An API token lives this many days unless `bookwise token USER --days N` says otherwise.
API_TOKEN_DAYS = int(os.environ.get("BOOKWISE_API_TOKEN_DAYS", "90"))
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path.cwd() / "staticfiles"


# Front-end assets come from installed packages (plotly ships plotly.min.js, django-ninja
# the API docs' pages), never a CDN.
STATICFILES_DIRS = [
    PACKAGE_DIR / "static",
    ("vendor/plotly", _package_dir("plotly") / "package_data"),
    _package_dir("ninja") / "static",
]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
# The finders serve every file, so STATIC_ROOT exists only where `bookwise collectstatic` ran:
# whitenoise's warning about its absence told every `make run` and server log of nothing wrong.
warnings.filterwarnings("ignore", message="No directory at: ", category=UserWarning)

EMAIL_BACKEND = os.environ.get("BOOKWISE_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("BOOKWISE_FROM_EMAIL", "bookwise@localhost")

SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
# HTTPS only in production: redirect, and tell browsers for a year (subdomains included).
SECURE_SSL_REDIRECT = PRODUCTION
SECURE_HSTS_SECONDS = int(os.environ.get("BOOKWISE_HSTS_SECONDS", "31536000")) if PRODUCTION else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
if envbool("BOOKWISE_BEHIND_TLS_PROXY", default=False):
    # the proxy terminates TLS and says so; without this the redirect would loop
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The API docs (/api/docs, /api/openapi.json) need a signed-in user in production.
API_DOCS_PUBLIC = not PRODUCTION
# core/security.py; the charts (static/bookwise/app.js) and the API docs work under it.
CONTENT_SECURITY_POLICY = os.environ.get("BOOKWISE_CONTENT_SECURITY_POLICY", DEFAULT_CSP)

# Business settings (METRICS.md names); administrators override them via environment or
# by editing this block in a deployment settings module.
BOOKWISE = {
    "tier_a_share": "0.80",
    "tier_b_share": "0.95",
    "whitespace_share": "0.30",
    "at_risk_decline": "0.30",
    "workload_points": {"A": 5, "B": 2, "C": 1},
    "secondary_points_share": "0.25",
    "nurturing_threshold": "0.50",
    "co_coverage_days": 90,
    # a transfer's effective date: at most this many days back (further needs an
    # administrator's confirmation with a reason) and ahead of today
    "transfer_backdate_days": int(os.environ.get("BOOKWISE_TRANSFER_BACKDATE_DAYS", "30")),
    "transfer_ahead_days": int(os.environ.get("BOOKWISE_TRANSFER_AHEAD_DAYS", "365")),
    "review_overdue_days": 7,
    "weekly_hours_limit": 50,
    "key_accounts_limit": 10,
    # imports (docs/imports.md): a web upload at most this many MB; a file at most this many
    # rows, cells of at most this many characters, an XLSX unpacking to at most this many MB;
    # an import stops after this many errors
    "import_max_upload_mb": int(os.environ.get("BOOKWISE_IMPORT_MAX_UPLOAD_MB", "20")),
    "import_max_rows": int(os.environ.get("BOOKWISE_IMPORT_MAX_ROWS", "5000000")),
    "import_max_cell_chars": int(os.environ.get("BOOKWISE_IMPORT_MAX_CELL_CHARS", "10000")),
    "import_max_xlsx_uncompressed_mb": int(os.environ.get("BOOKWISE_IMPORT_MAX_XLSX_UNCOMPRESSED_MB", "200")),
    "import_max_errors": int(os.environ.get("BOOKWISE_IMPORT_MAX_ERRORS", "10000")),
}

# Request bodies: form fields at most 2.5 MB held in memory (Django refuses more with a
# 400); an uploaded file over 2.5 MB streams to a temporary file; one file per request.
# The size of an upload is bounded by BOOKWISE["import_max_upload_mb"], refused before the
# body is read (bookwise.imports.limits.UploadLimitMiddleware).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FILES = 1

# LOGGING: see the production topology block below (config/topology.logging_config).

# ---- Production topology (issue 14: server, queue, cache, logs) -----------------------------
# BOOKWISE_CACHE_URL: `redis://host:6379/1` (Django's RedisCache, shared by every process on
#   every machine), `file:///dir` (FileBasedCache, shared by the processes of one machine),
#   `locmem://` (per process). Default: a file cache beside the SQLite database (else the
#   working directory).
# BOOKWISE_QUEUE_URL: `redis://host:6379/0` (RedisHuey), `sqlite:///path` (SqliteHuey, the
#   laptop), `immediate://` (jobs run in the caller, the tests). Default: SQLite beside the db.
# BOOKWISE_INSTANCE: the name of this installation's queue and cache keys (default bookwise),
#   for several installations (or test runs) sharing one Redis.
# BOOKWISE_LOG_FORMAT: `text` (default) or `json` (one JSON object per line).
# BOOKWISE_SCHEDULE_<JOB>: the daily time (HH:MM, UTC) of plans_remind, end_co_coverage,
#   overdue_scan, agreements_remind; `off` disables one.
from bookwise.config.topology import cache_from_url, daily_time, huey_from_url, logging_config  # noqa: E402

INSTANCE = os.environ.get("BOOKWISE_INSTANCE", "bookwise")
_DB = DATABASES["default"]
_BESIDE = (  # the laptop's queue and cache files go beside its SQLite database
    Path(_DB["NAME"]).parent
    if _DB["ENGINE"].endswith("sqlite3") and str(_DB["NAME"]).startswith("/")
    else Path.cwd()
)
CACHES = {"default": cache_from_url(os.environ.get("BOOKWISE_CACHE_URL", ""), _BESIDE, INSTANCE)}
HUEY = huey_from_url(os.environ.get("BOOKWISE_QUEUE_URL", ""), _BESIDE, INSTANCE)
INSTALLED_APPS += ["bookwise.jobs"]  # huey.contrib.djhuey is imported by jobs.tasks, when a job is queued
MIDDLEWARE.insert(1, "bookwise.core.requestlog.RequestLogMiddleware")  # after RequestIdMiddleware
LOGGING = logging_config(os.environ.get("BOOKWISE_LOG_FORMAT", "text"))
BOOKWISE_SCHEDULE = {
    name: daily_time(f"BOOKWISE_SCHEDULE_{name.upper()}", default)
    for name, default in (
        ("plans_remind", "06:00"),
        ("end_co_coverage", "00:30"),
        ("overdue_scan", "06:30"),
        ("agreements_remind", "06:15"),
    )
}
# a running job whose worker has not been heard of for this long is taken as interrupted
BOOKWISE_JOB_STALE_SECONDS = int(os.environ.get("BOOKWISE_JOB_STALE_SECONDS", "120"))
# ---- end of the production topology block ---------------------------------------------------
