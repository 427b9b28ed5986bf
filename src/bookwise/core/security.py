"""The Content-Security-Policy header (Django 5.2 has none of its own): scripts, styles,
images and connections only from this site; no inline script (the pages' one script,
static/bookwise/app.js, draws the charts from their JSON), inline styles allowed because
Plotly and the API docs set them; no framing, no plugins. The policy is the setting
CONTENT_SECURITY_POLICY (settings.py); an empty one sends no header."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

HEADER = "Content-Security-Policy"

DEFAULT_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", DEFAULT_POLICY)
        if policy and HEADER not in response:
            response[HEADER] = policy
        return response
