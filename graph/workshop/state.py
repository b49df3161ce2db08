"""A workshop as it stands: the log's actions folded, in order, into activities, tables, proposals,
scores and votes. The log is the truth and this is only a reading of it, so a restart, a second
server process or a device catching up all see the same state by folding the same actions.

What the fold decides, so every view agrees:
- a participant's latest score for a cell is the one that counts (changing your mind is not voting
  twice);
- a proposal is supported once per participant, however often the button is pressed;
- a decision names the proposal it decides; a later decision on the same proposal replaces the
  earlier one (the facilitator can change their mind; both stay in the log's history).
"""
from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterable

from graph.workshop.log import Event, Participant, Workshop

ACTIVITY_TYPES = ("personas", "links", "crossimpact", "priorities")
LINK_RELATIONS = ("synergy", "overlap", "conflict", "coordinate")
SCORE_SCALE = range(-3, 4)   # SEI's SDG Synergies: -3 cancelling ... +3 indivisible
DISAGREEMENT_RANGE = 3       # scores this far apart in one cell are worth discussing


@dataclass
class Activity:
    id: str
    type: str
    title: str
    status: str = "planned"                           # planned -> open -> closed
    items: list[str] = field(default_factory=list)    # IRIs offered (personas, goals, plans, gaps...)
    choices: list[str] = field(default_factory=list)  # personas: the target groups a persona can join
    tables: list[str] = field(default_factory=list)   # the tables when it opened (cross-impact split)
    dots: int = 0                                     # priorities: dots per person
    ends_at: float | None = None                      # time box (seconds since the epoch)
    labels: dict[str, str] = field(default_factory=dict)  # items that are not resources: id -> text
    closed_at: float | None = None                    # when the facilitator closed it

    def cells(self) -> list[tuple[str, str, str]]:
        """Cross-impact: every ordered pair of goals, with the table that scores it (round robin over
        the pairs in a fixed order, so each table gets its share and the split never changes)."""
        pairs = [(a, b) for a in self.items for b in self.items if a != b]
        tables = self.tables or [""]
        return [(a, b, tables[i % len(tables)]) for i, (a, b) in enumerate(pairs)]


@dataclass
class Proposal:
    id: str                    # the proposing action's id
    kind: str                  # link | membership | focus
    activity: str
    by: str | None             # participant id
    at: float
    payload: dict[str, Any]
    supporters: list[str] = field(default_factory=list)
    status: str = "open"       # open | accepted | rejected
    decided_at: float | None = None
    follow_up: dict[str, str] | None = None   # {"body": IRI, "task": text, "due": date}


@dataclass(frozen=True)
class CellAggregate:
    source: str
    target: str
    table: str
    scores: tuple[int, ...]

    @property
    def mean(self) -> float | None:
        return statistics.fmean(self.scores) if self.scores else None

    @property
    def spread(self) -> float | None:
        """Population standard deviation: how far the scorers are apart."""
        return statistics.pstdev(self.scores) if self.scores else None

    @property
    def disagreement(self) -> bool:
        return len(self.scores) > 1 and (max(self.scores) - min(self.scores) >= DISAGREEMENT_RANGE
                                         or (min(self.scores) < 0 < max(self.scores)))


@dataclass
class WorkshopState:
    workshop: Workshop
    participants: dict[str, Participant]
    activities: dict[str, Activity]
    tables: dict[str, str] = field(default_factory=dict)                       # participant -> table
    proposals: dict[str, Proposal] = field(default_factory=dict)               # in order proposed
    persona_picks: dict[tuple[str, str], str] = field(default_factory=dict)    # (activity, table) -> persona
    scores: dict[tuple[str, str, str], dict[str, int]] = field(default_factory=dict)  # (activity, a, b) -> who -> score
    votes: dict[tuple[str, str], Counter] = field(default_factory=dict)        # (activity, item) -> who -> dots
    last_seq: int = 0
    closed: bool = False

    # ------------------------------------------------------------------ reading
    def table_of(self, participant: str) -> str:
        return self.tables.get(participant, "")

    def table_names(self) -> list[str]:
        return sorted(set(self.tables.values()), key=_table_order)

    def members(self, table: str) -> list[Participant]:
        return [p for pid, p in self.participants.items() if self.tables.get(pid, "") == table]

    def open_activities(self) -> list[Activity]:
        return [a for a in self.activities.values() if a.status == "open"]

    def proposals_in(self, activity: str, kind: str | None = None) -> list[Proposal]:
        return [p for p in self.proposals.values() if p.activity == activity and (kind is None or p.kind == kind)]

    def aggregate(self, activity: str) -> list[CellAggregate]:
        """Cross-impact cells with the scores given so far, in the matrix's order."""
        act = self.activities[activity]
        return [CellAggregate(a, b, table, tuple(sorted(self.scores.get((activity, a, b), {}).values())))
                for a, b, table in act.cells()]

    def tally(self, activity: str) -> list[tuple[str, int]]:
        """Priorities: (item, dots) most dots first, then in the order offered."""
        act = self.activities[activity]
        order = {item: i for i, item in enumerate(act.items)}
        counts = [(item, sum(self.votes.get((activity, item), Counter()).values())) for item in act.items]
        return sorted(counts, key=lambda pair: (-pair[1], order[pair[0]]))

    def dots_used(self, activity: str, participant: str) -> int:
        return sum(c.get(participant, 0) for (act, _item), c in self.votes.items() if act == activity)

    def follow_ups(self) -> dict[str, list[Proposal]]:
        """The accepted proposals each body was asked to act on: what the letters say."""
        asked: dict[str, list[Proposal]] = defaultdict(list)
        for proposal in self.proposals.values():
            if proposal.status == "accepted" and proposal.follow_up and proposal.follow_up.get("body"):
                asked[proposal.follow_up["body"]].append(proposal)
        return dict(asked)


def _table_order(name: str) -> tuple[int, str]:
    return (int(name), "") if name.isdigit() else (10 ** 6, name)


def fold(workshop: Workshop, participants: Iterable[Participant], events: Iterable[Event]) -> WorkshopState:
    """The state after these actions, applied in order."""
    agenda = workshop.details.get("agenda") or []
    state = WorkshopState(workshop, {p.id: p for p in participants},
                          {a["id"]: Activity(a["id"], a["type"], a.get("title", "")) for a in agenda})
    return apply(state, events)


def apply(state: WorkshopState, events: Iterable[Event]) -> WorkshopState:
    """The state with these later actions applied, in order (changes `state` itself)."""
    for event in events:
        _APPLY.get(event.kind, _ignore)(state, event)
        state.last_seq = event.seq
    return state


def _ignore(state: WorkshopState, event: Event) -> None:
    """Kinds this version does not know (a newer server wrote them) change nothing."""


def _open(state: WorkshopState, event: Event) -> None:
    p = event.payload
    act = state.activities.get(p["activity"])
    if act is not None:
        act.status = "open"
        act.items = list(p.get("items", act.items))
        act.choices = list(p.get("choices", act.choices))
        act.labels = dict(p.get("labels", {}))
        act.tables = list(p.get("tables", act.tables))
        act.dots = int(p.get("dots", act.dots))
        act.ends_at = p.get("ends_at")


def _close(state: WorkshopState, event: Event) -> None:
    act = state.activities.get(event.payload["activity"])
    if act is not None:
        act.status, act.closed_at = "closed", event.at


def _split(state: WorkshopState, event: Event) -> None:
    state.tables.update(event.payload["tables"])


def _join(state: WorkshopState, event: Event) -> None:
    """A participant joins: the log stores the participant and this action in one transaction, so the
    state's participants are read from the actions alone."""
    p = event.payload
    if event.participant and event.participant not in state.participants:
        state.participants[event.participant] = Participant(event.participant, state.workshop.id, p.get("name", ""),
                                                            p.get("body"))


def _pick(state: WorkshopState, event: Event) -> None:
    table = state.table_of(event.participant or "")
    state.persona_picks[(event.payload["activity"], table)] = event.payload["persona"]


def _propose(kind: str):
    def apply(state: WorkshopState, event: Event) -> None:
        state.proposals[event.action] = Proposal(event.action, kind, event.payload["activity"], event.participant,
                                                 event.at, dict(event.payload), [event.participant] if event.participant else [])
    return apply


def _support(state: WorkshopState, event: Event) -> None:
    proposal = state.proposals.get(event.payload["proposal"])
    if proposal is not None and event.participant and event.participant not in proposal.supporters:
        proposal.supporters.append(event.participant)


def _score(state: WorkshopState, event: Event) -> None:
    p = event.payload
    state.scores.setdefault((p["activity"], p["source"], p["target"]), {})[event.participant or ""] = int(p["score"])


def _vote(state: WorkshopState, event: Event) -> None:
    p = event.payload
    state.votes.setdefault((p["activity"], p["item"]), Counter())[event.participant or ""] += 1


def _decide(state: WorkshopState, event: Event) -> None:
    p = event.payload
    proposal = state.proposals.get(p["proposal"])
    if proposal is not None:
        proposal.status = "accepted" if p["accepted"] else "rejected"
        proposal.decided_at = event.at
        proposal.follow_up = p.get("follow_up") or None


def _end(state: WorkshopState, event: Event) -> None:
    state.closed = True
    for act in state.activities.values():
        if act.status == "open":
            act.status, act.closed_at = "closed", event.at


_APPLY = {
    "activity.open": _open, "activity.close": _close, "tables.split": _split, "join": _join,
    "persona.pick": _pick, "persona.group": _propose("membership"), "focus.propose": _propose("focus"),
    "link.propose": _propose("link"), "support": _support, "score": _score, "vote": _vote,
    "decide": _decide, "workshop.end": _end,
}
