"""Area 'resources' of the web app (routes are added by the issue-4 work)."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("resources", __name__)
