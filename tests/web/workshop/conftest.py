"""The workshop tests' fixtures: the app over the example graph with a write token and its own log,
and a workshop made from the seed persona exercise by its facilitator."""
from __future__ import annotations

import re

import pytest

from tests.workshop_client import KBH, PLAN, SEED, csrf_of
from web import create_app


@pytest.fixture
def app(example_store, tmp_path):
    return create_app({"STORE": example_store, "TESTING": True, "UPDATE_TOKEN": "tok", "QUERY_WORKERS": 0,
                       "WORKSHOP_LOG": str(tmp_path / "workshops.sqlite")})


@pytest.fixture
def workshop(app):
    """A workshop made from the seed persona exercise, with its facilitator's client and CSRF token."""
    facilitator = app.test_client()
    form = facilitator.get("/workshops/new", query_string={"seed": SEED}).get_data(as_text=True)
    bodies = re.findall(r'name="bodies" value="([^"]+)"', form)
    created = facilitator.post("/workshops/new", data={
        "csrf_token": csrf_of(form), "seed": SEED, "municipality": KBH, "title": "Persona <øvelse>", "plans": [PLAN],
        "bodies": bodies, "token": "tok", "activities": ["personas", "links", "crossimpact", "priorities"]})
    assert created.status_code == 303
    workshop_id = created.headers["Location"].split("/")[2]
    page = facilitator.get(f"/workshops/{workshop_id}/facilitate").get_data(as_text=True)
    code = re.search(r'class="ws-code">([A-Z0-9]+)<', page).group(1)
    return {"id": workshop_id, "code": code, "client": facilitator, "csrf": csrf_of(page), "bodies": bodies}
