"""The wizard's state between steps, kept server-side: the uploaded file in the private
upload directory under a random token, and in the user's session (never in the page)
the kind, the sheet, the mapping being edited (as YAML, possibly still incomplete) and
what the last preview found. A token is only ever looked up in its own session."""

from __future__ import annotations

import hashlib
import secrets
from pathlib import Path
from typing import Any

from bookwise.imports.uploads import upload_dir

SESSION_KEY = "imports_wizard"


def store(*, session: Any, upload: Any, kind: str) -> str:
    """Save `upload` for the wizard; its token."""
    token = secrets.token_urlsafe(18)
    path = upload_dir() / f"wizard-{token}{Path(upload.name).suffix.lower()}"
    with path.open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    entry = {
        "kind": kind,
        "name": Path(upload.name).name,
        "path": str(path),
        "sheet": "",
        "yaml": "",
        "source": "",
        "checked": "",
        "ok": False,
        "rows": 0,
    }
    _write(session, token, entry)
    return token


def get(*, session: Any, token: str) -> dict[str, Any] | None:
    """This session's upload under `token` (None when unknown, expired or gone)."""
    entry = session.get(SESSION_KEY, {}).get(token)
    if entry is None or not Path(entry["path"]).is_file():
        return None
    return dict(entry)


def update(*, session: Any, token: str, **changes: Any) -> dict[str, Any]:
    """Change the entry (a preview counts only for the sheet and mapping it checked:
    `fingerprint`)."""
    pending = dict(session.get(SESSION_KEY, {}))
    entry = {**pending[token], **changes}
    _write(session, token, entry)
    return entry


def fingerprint(entry: dict[str, Any]) -> str:
    """What a preview checked: the kind, the sheet and the mapping, exactly."""
    text = "\0".join([entry["kind"], entry["sheet"], entry["yaml"]])
    return hashlib.sha256(text.encode()).hexdigest()


def checked_ok(entry: dict[str, Any]) -> bool:
    """The current kind, sheet and mapping were previewed, and the dry run had no error."""
    return bool(entry["ok"]) and entry["checked"] == fingerprint(entry)


def discard(*, session: Any, token: str) -> None:
    entry = release(session=session, token=token)
    if entry is not None:
        Path(entry["path"]).unlink(missing_ok=True)


def release(*, session: Any, token: str) -> dict[str, Any] | None:
    """Forget the upload in the session, keeping its file (an import run owns it now)."""
    pending = dict(session.get(SESSION_KEY, {}))
    entry = pending.pop(token, None)
    session[SESSION_KEY] = pending
    return entry


def _write(session: Any, token: str, entry: dict[str, Any]) -> None:
    pending = dict(session.get(SESSION_KEY, {}))
    pending[token] = entry
    session[SESSION_KEY] = pending
