"""Area 'network' of the web app."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("network", __name__)


@bp.get("/network")
def view():
    return "todo"
