"""What the workshop area needs from the app: its log, a secret key that survives a restart, CSRF
protection and rate limits.

- The log (graph/workshop/log.py) is opened on first use, so apps that never run a workshop never
  create its file. It lives next to the store (`var/workshops.sqlite`) unless POLICYGRAPH_WORKSHOP_LOG
  says otherwise.
- The secret key signs the session that carries the CSRF token. It is kept in a file beside the log
  (or given as POLICYGRAPH_SECRET_KEY), so that phones in the room keep working after a restart.
- CSRF (Flask-WTF) covers every form of the app; the SPARQL protocol endpoint is exempt, as its
  clients send no forms and its updates need the update token in a header instead.
- Rate limits (Flask-Limiter, in memory): joins per address, actions per participant.
"""
from __future__ import annotations

import os
import secrets
import threading
from pathlib import Path

from flask import Flask, current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import CSRFProtect

from graph.workshop.log import WorkshopLog
from graph.workshop.workshops import Workshops

EXTENSION = "policygraph_workshops"
_opening = threading.Lock()
csrf = CSRFProtect()


def address_key() -> str:
    """Per address, and per app: apps in one process (tests, a second app) never share their counts."""
    return f"{id(current_app._get_current_object())}:{get_remote_address()}"


limiter = Limiter(key_func=address_key, storage_uri="memory://", default_limits=[])


def configure(app: Flask) -> None:
    app.config.setdefault("WORKSHOP_LOG", os.environ.get("POLICYGRAPH_WORKSHOP_LOG")
                          or str(Path(app.config["STORE_PATH"]).parent / "workshops.sqlite"))
    app.config.setdefault("WORKSHOP_STREAMS", int(os.environ.get("POLICYGRAPH_WORKSHOP_STREAMS", "64")))
    app.config.setdefault("WORKSHOP_JOINS_PER_MINUTE", int(os.environ.get("POLICYGRAPH_WORKSHOP_JOINS_PER_MINUTE", "60")))
    app.config.setdefault("WORKSHOP_ACTIONS_PER_MINUTE", int(os.environ.get("POLICYGRAPH_WORKSHOP_ACTIONS_PER_MINUTE", "240")))
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)   # a workshop page stays open for hours
    app.config.setdefault("SESSION_COOKIE_SAMESITE", "Lax")
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = os.environ.get("POLICYGRAPH_SECRET_KEY") or _kept_secret(app)
    csrf.init_app(app)
    limiter.init_app(app)


def _kept_secret(app: Flask) -> str:
    """A random key made once and kept beside the workshop log (readable by its owner only)."""
    if app.testing:  # a test's app lives for one test session
        return secrets.token_hex(32)
    path = Path(app.config["WORKSHOP_LOG"]).with_name("secret-key")
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        key = secrets.token_hex(32)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="ascii") as out:
            out.write(key)
        return key


def workshops() -> Workshops:
    """The installation's workshops, opened on first use."""
    with _opening:
        found = current_app.extensions.get(EXTENSION)
        if found is None:
            found = current_app.extensions[EXTENSION] = Workshops(WorkshopLog(current_app.config["WORKSHOP_LOG"]))
        return found


def participant_key() -> str:
    """Rate limits count per participant (their cookie), else per address."""
    for name, value in request.cookies.items():
        if name.startswith("pgw_p_"):
            return f"{id(current_app._get_current_object())}:p:{value[:16]}"
    return address_key()
