"""One log line per request (logger `bookwise.request`) and the JSON formatter of
`BOOKWISE_LOG_FORMAT=json`. The request id is core.requests' (its middleware runs first)."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from django.http import HttpRequest, HttpResponse

from bookwise.core.requests import current_request_id

log = logging.getLogger("bookwise.request")
STANDARD = set(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message", "asctime"}


class RequestLogMiddleware:
    """Right after core.requests' RequestIdMiddleware: times the request and logs it once
    when it is answered."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        start = time.perf_counter()
        response = self.get_response(request)
        self._log(request, response.status_code, start)
        return response

    def _log(self, request: HttpRequest, status: int, start: float) -> None:
        user = getattr(request, "user", None)
        username = user.get_username() if user is not None and user.is_authenticated else ""
        fields = {
            "request_id": current_request_id(),
            "method": request.method,
            "path": request.path,
            "status": status,
            "duration_ms": round((time.perf_counter() - start) * 1000, 1),
            "user": username,
        }
        log.info(
            "%s %s %s %.1fms user=%s id=%s",
            request.method,
            request.path,
            status,
            fields["duration_ms"],
            username or "-",
            fields["request_id"],
            extra=fields,
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
        request_id = current_request_id()
        if request_id != "-":
            data["request_id"] = request_id
        data.update({k: v for k, v in record.__dict__.items() if k not in STANDARD})
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, default=str)
