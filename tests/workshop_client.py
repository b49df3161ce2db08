"""Taking part in a workshop through the Flask test client, for the workshop's web tests: the seed
workshop's IRIs, joining and acting with the CSRF token each client got."""
from __future__ import annotations

import re

SEED = "https://w3id.org/policygraph/id/workshop/koebenhavn/gruppearbejde-ny-integrationshandleplan"
KBH = "https://w3id.org/policygraph/id/org/koebenhavn"
PLAN = "https://w3id.org/policygraph/id/doc/koebenhavn/integrationshandleplan-2019-22"


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def join(app, workshop, name):
    client = app.test_client()
    token = csrf_of(client.get(f"/workshops/join?code={workshop['code']}").get_data(as_text=True))
    joined = client.post("/workshops/join", data={"csrf_token": token, "code": workshop["code"], "name": name,
                                                  "body": workshop["bodies"][0]})
    assert joined.status_code == 303 and joined.headers["Location"] == f"/workshops/{workshop['id']}/"
    return client, token


def act(client, token, workshop, kind, payload, action=None):
    return client.post(f"/workshops/{workshop['id']}/act", json={"kind": kind, "payload": payload, "action": action},
                       headers={"X-CSRFToken": token, "Accept": "application/json"})
