"""The workshop area through the Flask test client: create (needs the write token), join by code,
act (CSRF, roles, refusals in the reader's language), the live panels and the .json twins."""
from __future__ import annotations

from tests.workshop_client import SEED, PLAN, act, csrf_of, join
from web import create_app


def test_the_seed_workshop_is_listed_ready_to_run(app):
    listed = app.test_client().get("/workshops.json").get_json()
    (seed,) = [s for s in listed["seeds"] if s["iri"] == SEED]
    assert seed["personas"] == 5 and seed["about"] == PLAN  # slide 4: five family members; slide 3: the 2019-22 plan


def test_creating_needs_the_write_token(app, example_store, tmp_path):
    client = app.test_client()
    form = client.get("/workshops/new", query_string={"seed": SEED}).get_data(as_text=True)
    wrong = client.post("/workshops/new", data={"csrf_token": csrf_of(form), "seed": SEED, "token": "nope", "title": "x"})
    assert wrong.status_code == 403 and "Skrivenøglen er forkert" in wrong.get_data(as_text=True)
    read_only = create_app({"STORE": example_store, "TESTING": True, "QUERY_WORKERS": 0,
                            "WORKSHOP_LOG": str(tmp_path / "other.sqlite")}).test_client()
    form = read_only.get("/workshops/new").get_data(as_text=True)
    refused = read_only.post("/workshops/new", data={"csrf_token": csrf_of(form), "token": "tok", "title": "x"})
    assert refused.status_code == 403 and "POLICYGRAPH_UPDATE_TOKEN" in refused.get_data(as_text=True)


def test_forms_without_the_csrf_token_are_refused(app, workshop):
    client, _token = join(app, workshop, "Aya")
    refused = client.post(f"/workshops/{workshop['id']}/act", json={"kind": "support", "payload": {}})
    assert refused.status_code == 400
    assert client.post("/workshops/join", data={"code": workshop["code"], "name": "Eve"}).status_code == 400


def test_a_whole_round_of_actions(app, workshop):
    aya, aya_token = join(app, workshop, "Aya")
    bo, bo_token = join(app, workshop, "Bo")
    fac, fac_token = workshop["client"], workshop["csrf"]
    assert act(fac, fac_token, workshop, "tables.split", {"count": 2}).status_code == 200
    for activity in ("a1", "a2", "a3", "a4"):
        assert act(fac, fac_token, workshop, "activity.open", {"activity": activity, "dots": 2}).status_code == 200
    state = fac.get(f"/workshops/{workshop['id']}/projector.json").get_json()
    personas, links, impact, votes = state["activities"]
    assert [i["label"] for i in personas["items"]][:2] == ["Moren Amina", "Bedstemoren Mariam"]
    assert links["items"][0]["id"] == PLAN and len(impact["items"]) > 1
    proposed = act(aya, aya_token, workshop, "link.propose", {
        "activity": "a2", "source": links["items"][0]["id"], "target": links["items"][1]["id"],
        "relation": "synergy", "rationale": "<script>alert(1)</script>"}, action="aya-1")
    assert proposed.status_code == 200
    assert act(bo, bo_token, workshop, "support", {"proposal": "aya-1"}).status_code == 200
    page = bo.get(f"/workshops/{workshop['id']}/live/participant").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page
    participant_refused = act(aya, aya_token, workshop, "decide", {"proposal": "aya-1", "accepted": True})
    assert participant_refused.status_code == 400 and participant_refused.get_json()["error"] == "Det kan kun facilitator gøre."
    for _ in range(2):
        assert act(aya, aya_token, workshop, "vote", {"activity": "a4", "item": votes["items"][0]["id"]}).status_code == 200
    spent = act(aya, aya_token, workshop, "vote", {"activity": "a4", "item": votes["items"][0]["id"]})
    assert spent.status_code == 409 and "2 prikker" in spent.get_json()["error"]
    summary = fac.get(f"/workshops/{workshop['id']}/projector.json").get_json()
    assert summary["votes"]["a4"][0]["dots"] == 2 and summary["proposals"][0]["supporters"] == 2


def test_pages_for_each_role(app, workshop):
    aya, _token = join(app, workshop, "Aya")
    anyone = app.test_client()
    assert aya.get(f"/workshops/{workshop['id']}/").status_code == 200
    assert anyone.get(f"/workshops/{workshop['id']}/").status_code == 302  # not joined: to the join page
    assert anyone.get(f"/workshops/{workshop['id']}/facilitate").status_code == 403
    assert aya.get(f"/workshops/{workshop['id']}/live/facilitator").status_code == 403
    projector = anyone.get(f"/workshops/{workshop['id']}/projector").get_data(as_text=True)
    assert workshop["code"] in projector and "Persona &lt;øvelse&gt;" in projector
    qr = anyone.get(f"/workshops/{workshop['id']}/qr.svg").data
    assert qr.startswith(b"<svg") and b'xmlns="http://www.w3.org/2000/svg"' in qr  # an <img> shows only that
    assert anyone.get("/workshops/ffffffffffffffff/projector").status_code == 404


def test_an_unknown_code_is_refused_in_the_readers_language(app):
    client = app.test_client()
    token = csrf_of(client.get("/workshops/join?lang=en").get_data(as_text=True))
    refused = client.post("/workshops/join", data={"csrf_token": token, "code": "ZZZZZZ", "name": "Bo"})
    assert refused.status_code == 400 and "no workshop has the code ZZZZZZ" in refused.get_data(as_text=True)


def test_events_since_a_number_and_the_stream_starts_with_the_latest(app, workshop):
    aya, _token = join(app, workshop, "Aya")
    events = aya.get(f"/workshops/{workshop['id']}/history.json?since=0").get_json()
    assert [e["kind"] for e in events["events"]] == ["join"] and events["last"] == events["events"][0]["seq"]
    stream = aya.get(f"/workshops/{workshop['id']}/stream", buffered=False)
    first = next(stream.response).decode()
    stream.close()
    assert f"event: changed\ndata: {events['last']}" in first


def test_an_accepted_link_is_written_into_the_workshops_graph_and_a_rejected_one_is_not(app, workshop, example_store):
    from graph.workshop.writeback import workshop_graph

    aya, aya_token = join(app, workshop, "Aya")
    fac, fac_token = workshop["client"], workshop["csrf"]
    act(fac, fac_token, workshop, "activity.open", {"activity": "a2"})
    items = [i["id"] for i in fac.get(f"/workshops/{workshop['id']}/projector.json").get_json()["activities"][1]["items"]]
    act(aya, aya_token, workshop, "link.propose", {"activity": "a2", "source": items[0], "target": items[1],
                                                   "relation": "synergy", "rationale": "same families"}, action="yes")
    act(aya, aya_token, workshop, "link.propose", {"activity": "a2", "source": items[0], "target": items[2],
                                                   "relation": "conflict"}, action="no")
    graph = workshop_graph(workshop["id"])
    try:
        assert act(fac, fac_token, workshop, "decide", {"proposal": "yes", "accepted": True}).status_code == 200
        assert act(fac, fac_token, workshop, "decide", {"proposal": "no", "accepted": False}).status_code == 200
        stated = {(q.subject.value, q.predicate.value, q.object.value) for q in example_store.quads(graph)}
        pg = "https://w3id.org/policygraph/ontology#"
        assert (items[0], pg + "synergyWith", items[1]) in stated
        assert not any(p == pg + "conflictsWith" for _s, p, _o in stated)
        history = fac.get(f"/workshops/{workshop['id']}/history").get_data(as_text=True)
        assert "afvist" in history and "godkendt" in history  # the rejected proposal stays in the history
    finally:
        example_store.drop_graphs([graph])  # the example store is shared by the session's tests


def test_joins_are_rate_limited_per_address(example_store, tmp_path):
    app = create_app({"STORE": example_store, "TESTING": True, "UPDATE_TOKEN": "tok", "QUERY_WORKERS": 0,
                      "WORKSHOP_LOG": str(tmp_path / "w.sqlite"), "WORKSHOP_JOINS_PER_MINUTE": 2})
    client = app.test_client()
    token = csrf_of(client.get("/workshops/join").get_data(as_text=True))
    answers = [client.post("/workshops/join", data={"csrf_token": token, "code": "ZZZZZZ", "name": "x"}).status_code
               for _ in range(3)]
    assert answers == [400, 400, 429]


def test_actions_are_rate_limited_per_participant(example_store, tmp_path):
    app = create_app({"STORE": example_store, "TESTING": True, "UPDATE_TOKEN": "tok", "QUERY_WORKERS": 0,
                      "WORKSHOP_LOG": str(tmp_path / "w.sqlite"), "WORKSHOP_ACTIONS_PER_MINUTE": 3})
    from web.workshop.setup import workshops

    with app.app_context():
        made, _secret = workshops().log.create("W", {"agenda": [{"id": "a1", "type": "links"}]})
    workshop = {"id": made.id, "code": made.code, "bodies": [None]}
    aya, aya_token = join(app, workshop, "Aya")
    bo, bo_token = join(app, workshop, "Bo")
    statuses = [act(aya, aya_token, workshop, "support", {"proposal": "none"}).status_code for _ in range(4)]
    assert statuses == [400, 400, 400, 429]
    assert act(bo, bo_token, workshop, "support", {"proposal": "none"}).status_code == 400  # Bo has his own count
