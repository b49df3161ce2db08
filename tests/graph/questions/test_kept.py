"""Kept answers: computed once per version of the store's data, by one thread, within a row budget,
and warmed in the background."""
from __future__ import annotations

import threading
import time

import pytest

from graph.questions import kept as kept_module
from graph.questions.kept import KeptAnswers, Warmer
from graph.questions.library import library
from graph.pipeline.load import load_into_store
from graph.store import OxigraphStore, StoreError
from graph.store.memory import MemoryReplica

T = "https://w3id.org/policygraph/id/t/"
GOALS = "goals-without-initiative"


@pytest.fixture
def counted(monkeypatch):
    """run_named as kept.py calls it, counting the calls."""
    calls: list[str] = []
    real = kept_module.run_named

    def run(store, named, *args, **kwargs):
        calls.append(named.id)
        return real(store, named, *args, **kwargs)

    monkeypatch.setattr(kept_module, "run_named", run)
    return calls


def second_goal(store, tmp_path) -> None:
    """A second plan whose goal no initiative supports, loaded beside the first: goals-without-initiative
    gains its row (T + "maal2")."""
    from small_graph import PREFIXES, SECOND_PLAN
    path = tmp_path / "second-plan.ttl"
    path.write_text(PREFIXES + SECOND_PLAN, encoding="utf-8")
    load_into_store(store, [path], validate=False)


def test_an_answer_is_computed_once_per_version_and_again_after_a_write(store_from_turtle, tmp_path, counted):
    from small_graph import GOOD
    store, kept, named = store_from_turtle(GOOD), KeptAnswers(), library()[GOALS]
    first = kept.answer(store, named, {}, "da")
    again = kept.answer(store, named, {}, "da")
    assert counted == [GOALS] and not first.kept and again.kept and again.rows == first.rows
    kept.answer(store, named, {}, "en")  # another language is another answer
    assert counted == [GOALS, GOALS]
    second_goal(store, tmp_path)
    after = kept.answer(store, named, {}, "da")
    assert counted == [GOALS] * 3 and not after.kept
    assert {r["goal"].value for r in after.rows} == {r["goal"].value for r in first.rows} | {T + "maal2"}


def test_answers_of_a_replaced_version_are_let_go(store_from_turtle, tmp_path):
    from small_graph import GOOD
    store, kept, named = store_from_turtle(GOOD), KeptAnswers(), library()[GOALS]
    kept.answer(store, named, {}, "da")
    before = kept.rows
    second_goal(store, tmp_path)
    kept.answer(store, named, {}, "da")
    assert len(kept._entries) == 1 and kept.rows == before + 1


def test_many_askers_at_once_share_one_computation(store_from_turtle, monkeypatch):
    from small_graph import GOOD
    store, kept, named = store_from_turtle(GOOD), KeptAnswers(), library()[GOALS]
    release, calls = threading.Event(), []
    real = kept_module.run_named

    def slow(*args, **kwargs):
        calls.append(1)
        release.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(kept_module, "run_named", slow)
    answers = []
    threads = [threading.Thread(target=lambda: answers.append(kept.answer(store, named, {}, "da"))) for _ in range(4)]
    for thread in threads:
        thread.start()
    time.sleep(0.2)
    release.set()
    for thread in threads:
        thread.join(10)
    assert len(calls) == 1 and len(answers) == 4 and sum(not a.kept for a in answers) == 1


def test_a_failure_is_not_kept(store_from_turtle, monkeypatch):
    from small_graph import GOOD
    store, kept, named = store_from_turtle(GOOD), KeptAnswers(), library()[GOALS]
    real, failing = kept_module.run_named, [True]

    def flaky(*args, **kwargs):
        if failing.pop() if failing else False:
            raise StoreError("the store could not answer: busy")
        return real(*args, **kwargs)

    monkeypatch.setattr(kept_module, "run_named", flaky)
    with pytest.raises(StoreError):
        kept.answer(store, named, {}, "da")
    assert not kept.answer(store, named, {}, "da").kept and kept.answer(store, named, {}, "da").kept


def test_the_row_budget_lets_the_least_recently_used_go(store_from_turtle, counted):
    from small_graph import GOOD, SECOND_PLAN
    store = store_from_turtle(GOOD + SECOND_PLAN)
    named = library()[GOALS]
    rows = len(KeptAnswers().answer(store, named, {}, "da").rows)
    assert rows >= 1
    kept = KeptAnswers(max_rows=rows)       # room for one answer
    kept.answer(store, named, {}, "da")
    kept.answer(store, named, {}, "en")     # pushes the Danish one out
    assert kept.rows <= rows
    counted.clear()
    kept.answer(store, named, {}, "da")
    assert counted == [GOALS]


def test_a_store_that_cannot_name_its_version_is_asked_every_time(store_from_turtle, counted, monkeypatch):
    from small_graph import GOOD
    store, kept, named = store_from_turtle(GOOD), KeptAnswers(), library()[GOALS]
    monkeypatch.setattr(store, "version", lambda: None)
    kept.answer(store, named, {}, "da")
    kept.answer(store, named, {}, "da")
    assert counted == [GOALS, GOALS] and kept.rows == 0


def test_versions_name_the_data_read(tmp_path):
    memory, other = OxigraphStore(), OxigraphStore()
    assert memory.version() != other.version()
    before = memory.version()
    memory.update("INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> <urn:c> } }")
    assert memory.version() != before
    disk = OxigraphStore(tmp_path / "s")
    replica = MemoryReplica(disk)
    seen = replica.version()
    assert replica.version() == seen
    replica.update("INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> <urn:c> } }")
    assert replica.version() != seen
    with disk.transaction():
        assert disk.version() is None  # a write in progress: nothing may be kept from it
    replica.close()


def test_the_warmer_answers_the_national_questions_and_again_after_a_change(store_from_turtle, tmp_path):
    from small_graph import GOOD
    store, kept = store_from_turtle(GOOD), KeptAnswers()
    questions = [library()[GOALS], library()["plan-synergies"]]
    warmer = Warmer(store, ["da", "en"], kept, interval=0.05, questions=lambda: questions,
                    municipalities=False).start()
    try:
        deadline = time.monotonic() + 20
        while warmer.warmed != store.version() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert warmer.warmed == store.version() and len(kept._entries) == 4
        assert all(kept.answer(store, q, {}, lang).kept for q in questions for lang in ("da", "en"))
        second_goal(store, tmp_path)
        while warmer.warmed != store.version() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert warmer.warmed == store.version()
        assert T + "maal2" in {r["goal"].value for r in kept.answer(store, questions[0], {}, "da").rows}
    finally:
        warmer.stop()


def test_the_warmer_then_answers_each_municipalitys_questions(store_from_turtle, counted):
    from small_graph import GOOD, SECOND_PLAN
    store, kept = store_from_turtle(GOOD + SECOND_PLAN), KeptAnswers()
    assert Warmer(store, ["da"], kept, questions=lambda: [library()[GOALS]]).warm_once()
    counted.clear()
    for given in ("t/kommune", T + "kommune"):   # the short id and the full IRI are the same answer
        answer = kept.answer(store, library()[GOALS], {"municipality": given}, "da")
        assert answer.kept and {r["goal"].value for r in answer.rows} == {T + "maal2"}
    assert counted == []


def test_a_warm_round_overtaken_by_a_change_starts_over(store_from_turtle, tmp_path):
    from small_graph import GOOD
    store, kept = store_from_turtle(GOOD), KeptAnswers()
    before = store.version()
    second_goal(store, tmp_path)
    assert not Warmer(store, ["da"], kept, questions=lambda: [library()[GOALS]]).warm_once(before)
