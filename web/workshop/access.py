"""Who is asking: a participant (their device's token, in an HttpOnly cookie set when they joined),
the facilitator (the workshop's secret, in a cookie set when they created it, or the installation's
update token), or anyone else (who may read what the projector shows, knowing the workshop's
unguessable id, and nothing more).

Cookies are per workshop, HttpOnly (scripts never see them), SameSite=Lax (a QR link opens the page
with them) and Secure when the request came over HTTPS. Secrets are compared in constant time.
"""
from __future__ import annotations

import secrets

from flask import Response, current_app, g, request

from graph.workshop.log import Participant, Workshop, WorkshopError
from ontology.texts import translate
from web.errors import Problem
from web.workshop.setup import workshops

COOKIE_DAYS = 7


def participant_cookie(workshop_id: str) -> str:
    return f"pgw_p_{workshop_id}"


def facilitator_cookie(workshop_id: str) -> str:
    return f"pgw_f_{workshop_id}"


def keep(response: Response, name: str, value: str) -> None:
    response.set_cookie(name, value, max_age=COOKIE_DAYS * 24 * 3600, httponly=True, samesite="Lax",
                        secure=request.is_secure, path="/workshops/")


def workshop_or_404(workshop_id: str) -> Workshop:
    found = workshops().log.get(workshop_id) if len(workshop_id) <= 32 else None
    if found is None:
        raise Problem(404, WorkshopError("no_workshop").text(g.lang), key="workshop-not-found")
    return found


def participant(workshop: Workshop) -> Participant | None:
    token = request.cookies.get(participant_cookie(workshop.id))
    found = workshops().log.participant(token) if token else None
    return found if found is not None and found.workshop == workshop.id else None


def is_facilitator(workshop: Workshop) -> bool:
    secret = request.cookies.get(facilitator_cookie(workshop.id))
    return bool(secret) and workshops().log.is_facilitator(workshop.id, secret)


def facilitator_or_403(workshop: Workshop, key: str = "workshop-facilitator-only") -> None:
    """Pages and documents for the facilitator alone."""
    if not is_facilitator(workshop):
        raise Problem(403, translate("workshop.facilitator_only_page", g.lang), key=key)


def may_create() -> bool:
    """Creating a workshop writes, so it needs the installation's update token (POLICYGRAPH_UPDATE_TOKEN)."""
    return bool(current_app.config.get("UPDATE_TOKEN"))


def token_matches(given: str) -> bool:
    expected = current_app.config.get("UPDATE_TOKEN") or ""
    return bool(expected) and secrets.compare_digest(given.encode(), expected.encode())


def refused(error: WorkshopError, status: int = 400) -> Problem:
    """A refusal in the asker's language."""
    return Problem(status, error.text(g.lang), key=f"workshop-{error.key.replace('_', '-')}")
