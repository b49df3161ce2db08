"""Saving an edit (graph/pipeline/plan_save.py): refused when the file changed since it was opened,
validated before anything is written, then written, loaded into the store and kept as a version."""
from __future__ import annotations


import pytest

from graph.pipeline import plan_edits as edits
from graph.pipeline.plan_edits import EditRefused
from graph.pipeline.plan_save import EditConflict, EditInvalid, plan_file, save_edit
from graph.pipeline.plan_versions import digest, keeper_for

PLAN = "doc/koebenhavn/integrationshandleplan-2019-22"
IRI = "https://w3id.org/policygraph/id/" + PLAN
PG = "https://w3id.org/policygraph/ontology#"
# The 2020 line of one initiative: the amount as stated, and in kroner as derived at load.
AMOUNT = f"""SELECT ?amount ?kroner WHERE {{ <{IRI}/fritidsjob> <{PG}hasBudgetAllocation> ?line .
  ?line <{PG}fiscalYear> ?year ; <http://schema.org/value> ?amount ; <{PG}amountDKK> ?kroner .
  FILTER(STR(?year) = "2020") }}"""


def _amounts(store) -> list[str]:
    return [f'{row["amount"].value} = {row["kroner"].value}' for row in store.query(AMOUNT)]


def test_the_plans_own_file_is_found_not_a_file_that_only_names_it(store, data):
    found = plan_file(store, PLAN, data)
    assert found.relative == "koebenhavn/integrationshandleplan-2019-22.yaml"
    assert plan_file(store, "doc/koebenhavn/no-such-plan", data) is None
    assert plan_file(store, "org/koebenhavn", data) is None


def test_a_save_writes_the_file_loads_it_and_keeps_a_version(store, data):
    plan = plan_file(store, PLAN, data)
    assert _amounts(store) == ["1600 = 1600000"]
    saved = save_edit(store, plan, digest(plan.text()), lambda t: edits.set_budget(t, f"{PLAN}/fritidsjob", 2020, "1.700"),
                      " Anna  B ", "budget", "da")
    assert "amount: 1700" in plan.text() and _amounts(store) == ["1700 = 1700000"]
    assert saved.who == "Anna B" and saved.digest == digest(plan.text())
    assert [v.who for v in keeper_for(data).history(plan.relative)] == ["Anna B", ""]


def test_a_stale_version_is_refused_and_nothing_is_written(store, data):
    plan = plan_file(store, PLAN, data)
    opened = digest(plan.text())
    save_edit(store, plan, opened, lambda t: edits.set_budget(t, f"{PLAN}/fritidsjob", 2020, "1700"), "Anna", "first")
    before = plan.text()
    with pytest.raises(EditConflict) as conflict:
        save_edit(store, plan, opened, lambda t: edits.set_budget(t, f"{PLAN}/fritidsjob", 2020, "1900"), "Bo", "second")
    assert conflict.value.opened == opened and conflict.value.current == digest(before)
    assert plan.text() == before and _amounts(store) == ["1700 = 1700000"]
    assert [v.who for v in keeper_for(data).history(plan.relative)] == ["Anna", ""]


def test_an_edit_that_breaks_the_shapes_writes_nothing_and_says_why_in_the_readers_language(store, data):
    plan = plan_file(store, PLAN, data)
    before = plan.text()
    with pytest.raises(EditInvalid) as invalid:
        save_edit(store, plan, digest(before), lambda t: edits.link(t, f"{PLAN}/fritidsjob", "responsible", "tg/unge"),
                  "Anna", "bad link", "da")
    assert len(invalid.value.messages) == 1
    message = invalid.value.messages[0]
    assert message.startswith("koebenhavn/integrationshandleplan-2019-22.yaml:") and "organisation" in message
    assert "peger på noget" in message and "/tmp" not in message
    assert plan.text() == before and not (data / ".versions").exists()


def test_an_edit_the_loader_refuses_writes_nothing(store, data):
    plan = plan_file(store, PLAN, data)
    before = plan.text()
    with pytest.raises(EditInvalid) as invalid:
        save_edit(store, plan, digest(before), lambda t: t.replace("type: Initiative", "tyype: Initiative", 1), "A", "x")
    assert "unknown key 'tyype'" in invalid.value.messages[0]
    assert plan.text() == before


def test_a_name_is_required_and_an_edit_must_change_something(store, data):
    plan = plan_file(store, PLAN, data)
    with pytest.raises(EditRefused) as refused:
        save_edit(store, plan, digest(plan.text()), lambda t: t + "\n", "  ", "x")
    assert refused.value.key == "name_missing"
    with pytest.raises(EditRefused) as refused:
        save_edit(store, plan, digest(plan.text()), lambda t: t, "Anna", "x")
    assert refused.value.key == "no_change"
