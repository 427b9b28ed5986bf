"""One error type for the whole application, rendered by pages, the API and commands."""

from __future__ import annotations

from typing import Any


class ApplicationError(Exception):
    """A business error with a message for people and details for machines."""

    status_code = 400

    def __init__(self, message: str, extra: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra or {}


class NotFound(ApplicationError):
    status_code = 404


class Forbidden(ApplicationError):
    status_code = 403


class Conflict(ApplicationError):
    status_code = 409


class RuleViolation(ApplicationError):
    status_code = 422
