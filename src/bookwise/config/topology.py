"""The settings of the production topology, read from URLs in the environment: the shared
cache (`BOOKWISE_CACHE_URL`), the job queue (`BOOKWISE_QUEUE_URL`) and the log format
(`BOOKWISE_LOG_FORMAT`). Plain functions of strings, so the settings module stays a list."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from django.core.exceptions import ImproperlyConfigured


def cache_from_url(url: str, workdir: Path, instance: str = "bookwise") -> dict[str, Any]:
    """Django's cache backend for `url`: redis:// (RedisCache), file:///dir, locmem://."""
    if not url:
        url = f"file://{workdir / 'bookwise-cache'}"
    scheme = urlparse(url).scheme
    if scheme in ("redis", "rediss", "unix"):
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": instance,
        }
    if scheme == "file":
        return {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": urlparse(url).path,
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    if scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    raise ImproperlyConfigured(
        f"BOOKWISE_CACHE_URL must start with redis://, file:// or locmem://, not {url!r}"
    )


def huey_from_url(url: str, workdir: Path, instance: str = "bookwise") -> dict[str, Any]:
    """huey's settings (huey.contrib.djhuey) for `url`: redis:// (RedisHuey, production),
    sqlite:///file (SqliteHuey, the laptop), immediate:// (run in the caller, the tests)."""
    if not url:
        url = f"sqlite://{workdir / 'bookwise-queue.sqlite3'}"
    parsed = urlparse(url)
    common: dict[str, Any] = {
        "name": instance,
        "utc": True,
        "results": False,
        "consumer": {"workers": 2, "worker_type": "thread", "periodic": True, "check_worker_health": True},
    }
    if parsed.scheme in ("redis", "rediss"):
        return {**common, "huey_class": "huey.RedisHuey", "immediate": False, "connection": {"url": url}}
    if parsed.scheme == "sqlite":
        return {**common, "huey_class": "huey.SqliteHuey", "immediate": False, "filename": parsed.path}
    if parsed.scheme == "immediate":
        return {**common, "huey_class": "huey.MemoryHuey", "immediate": True}
    raise ImproperlyConfigured(
        f"BOOKWISE_QUEUE_URL must start with redis://, sqlite:// or immediate://, not {url!r}"
    )


def logging_config(log_format: str) -> dict[str, Any]:
    """One line per request (logger bookwise.request) and per job (bookwise.jobs), as text or
    JSON; warnings and errors of everything else as before."""
    if log_format not in ("text", "json"):
        raise ImproperlyConfigured(f"BOOKWISE_LOG_FORMAT must be text or json, not {log_format!r}")
    formatter = "bookwise.core.requestlog.JsonFormatter" if log_format == "json" else "logging.Formatter"
    text = "%(asctime)s %(levelname)s %(name)s [request %(request_id)s] %(message)s"
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "bookwise.core.requests.RequestIdFilter"}},
        "formatters": {"line": {"()": formatter, **({} if log_format == "json" else {"fmt": text})}},
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": "line", "filters": ["request_id"]}
        },
        "root": {"handlers": ["console"], "level": "WARNING"},
        "loggers": {
            name: {"handlers": ["console"], "level": level, "propagate": False}
            for name, level in (("bookwise.request", "INFO"), ("bookwise.jobs", "INFO"), ("huey", "WARNING"))
        },
    }


def daily_time(name: str, default: str) -> str:
    """The daily time in the environment variable `name` (else `default`): `HH:MM` (UTC,
    00:00 to 23:59) or `off`."""
    value = os.environ.get(name, default)
    hour, colon, minute = value.partition(":")
    ok = value == "off" or (
        colon
        and hour.isdigit()
        and minute.isdigit()
        and len(minute) == 2
        and int(hour) < 24
        and int(minute) < 60
    )
    if not ok:
        raise ImproperlyConfigured(f"{name} must be a time HH:MM (UTC) or off, not {value!r}")
    return value
