"""How the things a workshop works on are named on its pages: resources by the one Labeller, the
findings offered for dot voting by what they are ("Gap: ...", "Overlap: ... and ..."), proposals by
what they propose. Labellers are kept per workshop and language with the answers kept for this version
of the data (graph/questions/kept.py), so forty phones refreshing the same panel read each label once,
a change of the data reads them again, and what is kept stays within the kept answers' budget."""
from __future__ import annotations

import threading
from typing import Callable

from flask import current_app

from graph.questions.kept import KEPT
from graph.store.labels import Labeller
from graph.workshop.state import WorkshopState
from ontology.texts import translate

LABELLER_ROWS = 100   # what one workshop's labels count against the kept answers' budget, in rows
_lock = threading.Lock()


def resources_in(state: WorkshopState) -> set[str]:
    details = state.workshop.details
    iris = {*details.get("plans", []), *details.get("bodies", []), details.get("municipality") or "",
            details.get("seed") or ""}
    for act in state.activities.values():
        for item in [*act.items, *act.choices]:
            iris.update(item.split(":", 1)[1].split(" ") if item.startswith(("gap:", "overlap:")) else [item])
    for proposal in state.proposals.values():
        iris.update(v for k, v in proposal.payload.items() if k in ("source", "target", "persona", "group") and v)
        if proposal.follow_up:
            iris.add(proposal.follow_up.get("body", ""))
    iris.update(state.persona_picks.values())
    iris.update(p.body for p in state.participants.values() if p.body)
    return {i for i in iris if i.startswith(("http://", "https://", "urn:"))}


def namer(state: WorkshopState, lang: str) -> Callable[[str], str]:
    """name(x) for anything a workshop page shows: an IRI, a finding, `proposal:<id>`."""
    store = current_app.config["STORE"]
    labels = KEPT.value(store, ("workshop-labels", state.workshop.id, lang), lambda: Labeller(store, lang),
                        size=lambda _: LABELLER_ROWS)
    with _lock:   # one Labeller may be shared by many requests: one of them reads what is missing
        labels.load(resources_in(state))

    def name(item: str) -> str:
        if not item:
            return ""
        if item.startswith("gap:"):
            return translate("workshop.item.gap", lang).format(name=labels(item[4:]))
        if item.startswith("overlap:"):
            first, _, second = item[8:].partition(" ")
            return translate("workshop.item.overlap", lang).format(first=labels(first), second=labels(second))
        if item.startswith("proposal:"):
            return describe_proposal(state, item[9:], name, lang)
        for act in state.activities.values():
            if item in act.labels:
                return act.labels[item]
        return labels(item)

    return name


def describe_proposal(state: WorkshopState, proposal_id: str, name: Callable[[str], str], lang: str) -> str:
    """One sentence: "A reinforces B", "Amina belongs to refugees", or the focus area proposed."""
    proposal = state.proposals.get(proposal_id)
    if proposal is None:
        return proposal_id
    p = proposal.payload
    if proposal.kind == "link":
        return translate(f"workshop.link.{p['relation']}.sentence", lang).format(source=name(p["source"]), target=name(p["target"]))
    if proposal.kind == "membership":
        return translate("workshop.persona.member_sentence", lang).format(persona=name(p["persona"]), group=name(p["group"]))
    return p.get("text", "")
