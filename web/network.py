"""Area 'network' of the web app (routes are added by the issue-4 work)."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("network", __name__)
