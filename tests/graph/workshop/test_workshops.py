"""Acting in a workshop: who may do what, the state every device reads, and nothing counted twice."""
from __future__ import annotations

import pytest

from graph.workshop.log import WorkshopError, WorkshopLog
from graph.workshop.workshops import Workshops

AGENDA = [{"id": "p", "type": "personas", "title": "Personas"}, {"id": "l", "type": "links", "title": "Links"},
          {"id": "x", "type": "crossimpact", "title": "Cross-impact"}, {"id": "v", "type": "priorities", "title": "Dots"}]
BODY = "https://example.org/committee/bio"


@pytest.fixture
def room(tmp_path):
    workshops = Workshops(WorkshopLog(tmp_path / "w.sqlite"))
    workshop, _secret = workshops.log.create("W", {"agenda": AGENDA, "bodies": [BODY]})
    people = [workshops.join(workshop.code, name, BODY)[0] for name in ("Aya", "Bo", "Cai")]
    return workshops, workshop, people


def test_participants_cannot_do_what_the_facilitator_does(room):
    workshops, workshop, (aya, *_rest) = room
    with pytest.raises(WorkshopError, match="only the facilitator"):
        workshops.act(workshop.id, "activity.open", {"activity": "l"}, aya.id)
    with pytest.raises(WorkshopError, match="join the workshop"):
        workshops.act(workshop.id, "vote", {"activity": "v", "item": "a"}, None)
    with pytest.raises(WorkshopError, match="not open"):
        workshops.act(workshop.id, "link.propose", {"activity": "l", "source": "a", "target": "b",
                                                   "relation": "synergy"}, aya.id)


def test_a_link_proposed_supported_and_accepted(room):
    workshops, workshop, (aya, bo, cai) = room
    workshops.act(workshop.id, "activity.open", {"activity": "l", "items": ["urn:a", "urn:b"]}, None)
    seq = workshops.act(workshop.id, "link.propose", {"activity": "l", "source": "urn:a", "target": "urn:b",
                                                     "relation": "synergy", "rationale": "same families",
                                                     "sneaky": "<script>"}, aya.id, action="aya-1")
    for who in (bo, bo, cai):  # Bo presses twice
        workshops.act(workshop.id, "support", {"proposal": "aya-1"}, who.id)
    workshops.act(workshop.id, "decide", {"proposal": "aya-1", "accepted": True,
                                          "follow_up": {"body": BODY, "task": "Align", "due": "2027-02-01"}}, None)
    state = workshops.state(workshop.id)
    proposal = state.proposals["aya-1"]
    assert "sneaky" not in proposal.payload and proposal.status == "accepted"
    assert proposal.supporters == [aya.id, bo.id, cai.id]
    assert state.follow_ups() == {BODY: [proposal]} and state.last_seq > seq
    with pytest.raises(WorkshopError, match="two different ends"):
        workshops.act(workshop.id, "link.propose", {"activity": "l", "source": "urn:a", "target": "urn:a",
                                                   "relation": "synergy"}, aya.id)
    with pytest.raises(WorkshopError, match="not one of those offered"):
        workshops.act(workshop.id, "link.propose", {"activity": "l", "source": "urn:a", "target": "urn:zzz",
                                                   "relation": "synergy"}, aya.id)


def test_cross_impact_is_split_across_tables_and_the_last_score_counts(room):
    workshops, workshop, (aya, bo, cai) = room
    workshops.act(workshop.id, "tables.split", {"tables": {aya.id: "1", bo.id: "2", cai.id: "2"}}, None)
    workshops.act(workshop.id, "activity.open", {"activity": "x", "items": ["urn:g1", "urn:g2", "urn:g3"]}, None)
    cells = workshops.state(workshop.id).activities["x"].cells()
    assert len(cells) == 6 and {t for *_ab, t in cells} == {"1", "2"}
    mine = [(a, b) for a, b, t in cells if t == "2"]
    theirs = [(a, b) for a, b, t in cells if t == "1"]
    with pytest.raises(WorkshopError, match="another table"):
        workshops.act(workshop.id, "score", {"activity": "x", "source": theirs[0][0], "target": theirs[0][1], "score": 1}, bo.id)
    with pytest.raises(WorkshopError, match="-3 to 3"):
        workshops.act(workshop.id, "score", {"activity": "x", "source": mine[0][0], "target": mine[0][1], "score": 5}, bo.id)
    a, b = mine[0]
    workshops.act(workshop.id, "score", {"activity": "x", "source": a, "target": b, "score": 3}, bo.id)
    workshops.act(workshop.id, "score", {"activity": "x", "source": a, "target": b, "score": -2}, bo.id)  # changed mind
    workshops.act(workshop.id, "score", {"activity": "x", "source": a, "target": b, "score": 2}, cai.id)
    (cell,) = [c for c in workshops.state(workshop.id).aggregate("x") if (c.source, c.target) == (a, b)]
    assert cell.scores == (-2, 2) and cell.mean == 0 and cell.spread == 2 and cell.disagreement


def test_dots_are_limited_per_person_and_counted_once(room):
    workshops, workshop, (aya, bo, _cai) = room
    workshops.act(workshop.id, "activity.open", {"activity": "v", "items": ["gap1", "gap2"], "dots": 2}, None)
    workshops.act(workshop.id, "vote", {"activity": "v", "item": "gap1"}, aya.id, action="d1")
    workshops.act(workshop.id, "vote", {"activity": "v", "item": "gap1"}, aya.id, action="d1")  # a retry
    workshops.act(workshop.id, "vote", {"activity": "v", "item": "gap2"}, aya.id, action="d2")
    with pytest.raises(WorkshopError, match="dots are used"):
        workshops.act(workshop.id, "vote", {"activity": "v", "item": "gap2"}, aya.id, action="d3")
    workshops.act(workshop.id, "vote", {"activity": "v", "item": "gap2"}, bo.id)
    assert workshops.state(workshop.id).tally("v") == [("gap2", 2), ("gap1", 1)]


def test_a_time_boxed_activity_and_an_ended_workshop_refuse_late_actions(room):
    workshops, workshop, (aya, *_rest) = room
    workshops.act(workshop.id, "activity.open", {"activity": "v", "items": ["gap1"], "minutes": 0.001}, None)
    import time
    time.sleep(0.1)
    with pytest.raises(WorkshopError, match="time .* is up"):
        workshops.act(workshop.id, "vote", {"activity": "v", "item": "gap1"}, aya.id)
    workshops.act(workshop.id, "workshop.end", {}, None)
    with pytest.raises(WorkshopError, match="ended"):
        workshops.act(workshop.id, "activity.open", {"activity": "l"}, None)


def test_a_restarted_server_reads_the_same_state(room, tmp_path):
    workshops, workshop, (aya, *_rest) = room
    workshops.act(workshop.id, "activity.open", {"activity": "p", "items": ["urn:amina"], "choices": ["urn:g"]}, None)
    workshops.act(workshop.id, "persona.group", {"activity": "p", "persona": "urn:amina", "group": "urn:g"}, aya.id)
    before = workshops.state(workshop.id)
    after = Workshops(WorkshopLog(tmp_path / "w.sqlite")).state(workshop.id)
    assert after.proposals == before.proposals and after.last_seq == before.last_seq
    assert set(after.participants) == set(before.participants)


def test_waiting_returns_at_news(room):
    import threading
    workshops, workshop, (aya, *_rest) = room
    start = workshops.log.last_seq(workshop.id)
    threading.Timer(0.05, lambda: workshops.act(workshop.id, "activity.open", {"activity": "l"}, None)).start()
    assert workshops.wait(workshop.id, start, timeout=5) > start
