"""The workshops of an installation as the web app uses them: act (check, then store), read the state,
and wait for news.

States are folded once per new action and shared by every reader (forty phones asking for the same
state cost one fold), and only the actions after the last one folded are applied. Waiting for news
is a condition variable woken by every action stored through this object, with a timeout after
which the log itself is asked (another process may have written it).
"""
from __future__ import annotations

import copy
import threading
import uuid
from typing import Any

from graph.workshop.actions import check, dot_limit
from graph.workshop.log import Participant, Workshop, WorkshopError, WorkshopLog
from graph.workshop.state import WorkshopState, apply, fold


class Workshops:
    def __init__(self, log: WorkshopLog) -> None:
        self.log = log
        self._states: dict[str, WorkshopState] = {}
        self._lock = threading.Lock()
        self._news = threading.Condition()

    def workshop(self, workshop_id: str) -> Workshop:
        workshop = self.log.get(workshop_id)
        if workshop is None:
            raise WorkshopError("no_workshop")
        return workshop

    def state(self, workshop_id: str) -> WorkshopState:
        """The state after every stored action (a copy: callers may not change the shared one)."""
        with self._lock:
            state = self._states.get(workshop_id)
            if state is None:
                workshop = self.workshop(workshop_id)
                state = fold(workshop, [], [])  # participants come from their join actions
            news = self.log.events(workshop_id, since=state.last_seq, limit=100_000)
            if news or workshop_id not in self._states:
                state = apply(copy.deepcopy(state), news)  # onto a copy: a reader holding the old one is safe
                self._states[workshop_id] = state
            return state

    def act(self, workshop_id: str, kind: str, payload: dict[str, Any], participant: str | None,
            action: str | None = None) -> int:
        """Check the action against the state and store it; its sequence number once stored. The same
        `action` id again (a device retrying) returns the first one's number and stores nothing."""
        state = self.state(workshop_id)
        clean = check(state, kind, payload, participant)
        seq = self.log.record(workshop_id, action or uuid.uuid4().hex, kind, clean, participant,
                              dots=dot_limit(state, kind, clean))
        self.notify()
        return seq

    def join(self, code: str, name: str, body: str | None) -> tuple[Participant, str]:
        joined = self.log.join(code, name, body)
        self.notify()
        return joined

    def notify(self) -> None:
        with self._news:
            self._news.notify_all()

    def wait(self, workshop_id: str, since: int, timeout: float) -> int:
        """The last sequence number once it is past `since`, or at the timeout whatever it is."""
        with self._news:
            self._news.wait_for(lambda: self.log.last_seq(workshop_id) > since, timeout=timeout)
        return self.log.last_seq(workshop_id)
