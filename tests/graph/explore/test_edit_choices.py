"""What the plan edit form offers to link to (graph/explore/edit_choices.py), read from the example graph."""
from __future__ import annotations

from graph.explore.edit_choices import choices

BASE = "https://w3id.org/policygraph/id/"
PLAN = "doc/koebenhavn/integrationshandleplan-2019-22"


def test_each_kind_offers_what_its_key_may_point_at(example_store):
    assert BASE + "tg/jobparate-ledige" in choices(example_store, "targetGroups")
    assert BASE + "doc/koebenhavn/integrationspolitik-2019-22/pejlemaerke-1-job" in choices(example_store, "supports")
    assert BASE + "org/koebenhavn/biu" in choices(example_store, "responsible")
    assert BASE + "doc/koebenhavn/integrationshandleplan-2017-18" in choices(example_store, "replaces")
    assert BASE + "tg/jobparate-ledige" not in choices(example_store, "responsible")


def test_a_plan_is_not_offered_its_own_initiatives_to_continue(example_store):
    everything = choices(example_store, "continues")
    others = choices(example_store, "continues", exclude_prefix=PLAN + "/")
    assert BASE + PLAN + "/fritidsjob" in everything and BASE + PLAN + "/fritidsjob" not in others
    assert BASE + "doc/koebenhavn/integrationshandleplan-2017-18/bekaempelse-af-social-kontrol" in others
    assert all(iri.startswith(BASE) for iri in everything)
