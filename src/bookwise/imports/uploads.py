"""Uploaded files kept server-side between the dry run and the confirmation: each under a
random token in a private directory, the token remembered in the user's session."""

from __future__ import annotations

import secrets
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings

SESSION_KEY = "imports_pending"


def upload_dir() -> Path:
    default = Path(tempfile.gettempdir()) / "bookwise-imports"
    path = Path(str(settings.BOOKWISE.get("import_upload_dir", default)))
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def upload_store(*, session: Any, upload: Any, kind: str) -> str:
    """Save `upload`; returns its token (the key to it in the session)."""
    token = secrets.token_urlsafe(18)
    suffix = Path(upload.name).suffix.lower()
    path = upload_dir() / f"{token}{suffix}"
    with path.open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    pending = dict(session.get(SESSION_KEY, {}))
    pending[token] = {"kind": kind, "name": Path(upload.name).name, "path": str(path)}
    session[SESSION_KEY] = pending
    return token


def upload_get(*, session: Any, token: str) -> dict[str, str] | None:
    """The pending upload of this session under `token` (never another user's)."""
    entry = session.get(SESSION_KEY, {}).get(token)
    if entry is None or not Path(entry["path"]).is_file():
        return None
    return entry


def upload_discard(*, session: Any, token: str) -> None:
    pending = dict(session.get(SESSION_KEY, {}))
    entry = pending.pop(token, None)
    session[SESSION_KEY] = pending
    if entry is not None:
        Path(entry["path"]).unlink(missing_ok=True)


def upload_release(*, session: Any, token: str) -> None:
    """Forget the upload in the session but keep its file: a queued import job owns it now
    (and removes it when done)."""
    pending = dict(session.get(SESSION_KEY, {}))
    pending.pop(token, None)
    session[SESSION_KEY] = pending
