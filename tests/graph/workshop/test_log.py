"""graph/workshop/log.py: a workshop's actions are stored before they are acknowledged, counted once,
within each participant's dots, and survive a restart or a killed process."""
from __future__ import annotations

import subprocess
import sys
import threading
import time

import pytest

from graph.workshop.log import CODE_ALPHABET, WorkshopError, WorkshopLog


@pytest.fixture
def log(tmp_path):
    opened = WorkshopLog(tmp_path / "workshops.sqlite")
    yield opened
    opened.close()


def test_join_by_code_in_any_case_and_refuse_unknown_or_expired_codes(log):
    workshop, secret = log.create("Ny handleplan", {"date": "2026-12-10", "agenda": ["personas", "links"]})
    assert len(workshop.code) == 6 and set(workshop.code) <= set(CODE_ALPHABET)
    participant, token = log.join(workshop.code.lower(), "Aisha", "Beskæftigelses- og Integrationsforvaltningen")
    assert log.participant(token) == participant and participant.workshop == workshop.id
    assert log.participant("guess") is None
    assert log.is_facilitator(workshop.id, secret) and not log.is_facilitator(workshop.id, token)
    with pytest.raises(WorkshopError, match="no workshop"):
        log.join("ZZZZZZ", "Bo")
    closed, _ = log.create("Old", {}, hours_open=-1)
    with pytest.raises(WorkshopError, match="closed"):
        log.join(closed.code, "Bo")


def test_secrets_are_kept_only_as_hashes(log, tmp_path):
    workshop, secret = log.create("W", {})
    _participant, token = log.join(workshop.code, "Bo")
    raw = b"".join(path.read_bytes() for path in tmp_path.glob("workshops.sqlite*"))  # the file and its WAL
    assert secret.encode() not in raw and token.encode() not in raw


def test_an_action_sent_twice_is_recorded_once(log):
    workshop, _ = log.create("W", {})
    participant, _ = log.join(workshop.code, "Bo")
    first = log.record(workshop.id, "phone-1:7", "propose", {"a": "x", "b": "y"}, participant.id)
    again = log.record(workshop.id, "phone-1:7", "propose", {"a": "x", "b": "y"}, participant.id)
    assert first == again and [e.kind for e in log.events(workshop.id)] == ["join", "propose"]


def test_joining_is_news_to_everyone_in_the_room(log):
    workshop, _ = log.create("W", {})
    participant, _ = log.join(workshop.code, "Bo", "https://example.org/committee")
    (joined,) = log.events(workshop.id)
    assert joined.kind == "join" and joined.participant == participant.id and joined.payload["name"] == "Bo"
    assert log.participants(workshop.id) == [participant] and log.last_seq(workshop.id) == joined.seq
    assert log.get(workshop.id) == workshop and log.all() == [workshop]


def test_a_device_catches_up_from_the_last_number_it_saw(log):
    workshop, _ = log.create("W", {})
    seqs = [log.record(workshop.id, f"a{i}", "note", {"i": i}) for i in range(5)]
    assert [e.payload["i"] for e in log.events(workshop.id, since=seqs[1])] == [2, 3, 4]
    other, _ = log.create("Other", {})
    log.record(other.id, "a0", "note", {})  # the same action id in another workshop is another action
    assert len(log.events(workshop.id)) == 5 and len(log.events(other.id)) == 1


def test_forty_participants_voting_at_once_never_exceed_their_dots(log, tmp_path):
    workshop, _ = log.create("W", {})
    people = [log.join(workshop.code, f"p{n}")[0] for n in range(40)]
    refused = []

    def vote(person) -> None:
        mine = WorkshopLog(tmp_path / "workshops.sqlite")  # each device its own connection
        for n in range(5):
            for _retry in range(2):  # every vote sent twice, as a phone that lost the answer does
                try:
                    mine.record(workshop.id, f"{person.id}:{n}", "vote", {"activity": "prio", "target": n % 3},
                                person.id, dots=3)
                except WorkshopError:
                    refused.append(person.id)
        mine.close()

    threads = [threading.Thread(target=vote, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    votes = [e for e in log.events(workshop.id, limit=10_000) if e.kind == "vote"]
    assert len(votes) == 40 * 3
    assert {p.id: sum(1 for v in votes if v.participant == p.id) for p in people} == {p.id: 3 for p in people}
    assert len(refused) == 40 * 2 * 2  # the fourth and fifth vote, each sent twice


def test_what_was_acknowledged_survives_a_killed_process(tmp_path):
    path = tmp_path / "workshops.sqlite"
    setup = WorkshopLog(path)
    workshop, _ = setup.create("W", {})
    setup.close()
    writer = ("import sys\nfrom graph.workshop.log import WorkshopLog\n"
              f"log = WorkshopLog({str(path)!r})\n"
              "for n in range(100000):\n"
              f"    seq = log.record({workshop.id!r}, f'a{{n}}', 'note', {{'n': n}})\n"
              "    print(seq, flush=True)\n")
    process = subprocess.Popen([sys.executable, "-c", writer], stdout=subprocess.PIPE, text=True)
    acknowledged = []
    deadline = time.monotonic() + 30
    while len(acknowledged) < 200 and time.monotonic() < deadline:
        acknowledged.append(int(process.stdout.readline()))
    process.kill()
    process.wait()
    reopened = WorkshopLog(path)
    stored = {e.seq for e in reopened.events(workshop.id, limit=1_000_000)}
    reopened.close()
    assert len(acknowledged) == 200 and set(acknowledged) <= stored
