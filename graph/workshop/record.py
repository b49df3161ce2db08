"""From what happened in a workshop (its state) to what is written into the graph: the accepted
proposals and, once a cross-impact activity is closed, its scores. The facilitator's decisions are
the only way in; proposals still open and rejected ones stay in the log's history only."""
from __future__ import annotations

from graph.store import Store
from graph.workshop.state import Proposal, WorkshopState
from graph.workshop.writeback import (AcceptedFocusArea, AcceptedLink, AcceptedMembership, CrossImpact, Person,
                                      WorkshopRecord, write_back)


def record_of(state: WorkshopState) -> WorkshopRecord:
    details = state.workshop.details
    people = {p.id: Person(p.id, p.name or None, p.body) for p in state.participants.values()}
    accepted = [p for p in state.proposals.values() if p.status == "accepted"]
    plans = details.get("plans") or []

    def by(proposal: Proposal) -> Person | None:
        return people.get(proposal.by or "")

    links = tuple(AcceptedLink(p.id, p.payload["source"], p.payload["target"], p.payload["relation"],
                               p.payload.get("rationale", ""), by(p),
                               tuple(people[s] for s in p.supporters if s in people and s != p.by),
                               p.at, p.decided_at or p.at) for p in accepted if p.kind == "link")
    memberships = tuple(AcceptedMembership(p.id, p.payload["persona"], p.payload["group"], by(p), p.at,
                                           p.decided_at or p.at) for p in accepted if p.kind == "membership")
    focus = tuple(AcceptedFocusArea(p.id, plans[0], p.payload.get("persona"), p.payload["text"], by(p), p.at,
                                    p.decided_at or p.at) for p in accepted if p.kind == "focus" and plans)
    impacts = tuple(CrossImpact(c.source, c.target, c.scores, act.closed_at or 0.0)
                    for act in state.activities.values() if act.type == "crossimpact" and act.status == "closed"
                    for c in state.aggregate(act.id) if c.scores)
    return WorkshopRecord(state.workshop.id, details.get("seed") or None, state.workshop.title, details.get("date") or None,
                          details.get("municipality"), details.get("facilitator") or "", tuple(people.values()),
                          links, memberships, focus, impacts)


def write_decisions(store: Store, state: WorkshopState) -> int:
    """The workshop's named graph made anew from its decisions; the number of statements."""
    return write_back(store, record_of(state))
