"""One log line per request, with a request id (logger `bookwise.request`), and the JSON
formatter of `BOOKWISE_LOG_FORMAT=json`.

The request id is the caller's `X-Request-ID` when it is a sane token (a load balancer's),
else a new one; it is on `request.request_id`, in the response's `X-Request-ID` header, and
in every log record made while the request is served (`request_id`)."""

from __future__ import annotations

import contextvars
import json
import logging
import re
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from django.http import HttpRequest, HttpResponse

log = logging.getLogger("bookwise.request")
current_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("bookwise_request_id", default="")
SANE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
STANDARD = set(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message", "asctime"}


def request_id_for(request: HttpRequest) -> str:
    given = request.headers.get("X-Request-ID", "")
    return given if SANE_ID.match(given) else uuid.uuid4().hex


class RequestLogMiddleware:
    """Outermost middleware: names the request, times it, logs it once when it is answered."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_for(request)
        request.request_id = request_id  # type: ignore[attr-defined]
        token = current_request_id.set(request_id)
        start = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            self._log(request, response.status_code, start)
            return response
        finally:
            current_request_id.reset(token)

    def _log(self, request: HttpRequest, status: int, start: float) -> None:
        user = getattr(request, "user", None)
        username = user.get_username() if user is not None and user.is_authenticated else ""
        fields = {
            "request_id": current_request_id.get(),
            "method": request.method,
            "path": request.path,
            "status": status,
            "duration_ms": round((time.perf_counter() - start) * 1000, 1),
            "user": username,
        }
        log.info(
            "%s %s %s %.1fms user=%s id=%s", request.method, request.path, status,
            fields["duration_ms"], username or "-", fields["request_id"], extra=fields,
        )


class JsonFormatter(logging.Formatter):
    """A log record as one JSON object: time, level, logger, message, and the record's extra
    fields (a request's method, path, status...; a job's id, name, state...)."""

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = current_request_id.get()
        if request_id:
            data["request_id"] = request_id
        data.update({k: v for k, v in record.__dict__.items() if k not in STANDARD})
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, default=str)
