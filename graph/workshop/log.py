"""What happens in a live workshop, kept as an append-only log in SQLite: the part of a workshop that
must never lose a vote or count one twice.

Why not the RDF store: a workshop writes often (every vote, proposal, score), and each write to the
store is a new generation (graph/store/folder.py), seconds on a large store. The log is written
per action instead, and only what the facilitator accepts becomes statements in the workshop's own
named graph, in one store transaction.

Why it is safe:
- every action is committed (WAL, synchronous FULL) before `record` returns, so it is stored before
  the participant is told it was; a restart loses nothing;
- every action carries an id chosen by the participant's device; sending it again (a phone that lost
  its connection and retries) returns the first one's sequence number and records nothing twice;
- a participant's dots in one vote are counted inside the same write transaction as the new dot, so
  two votes sent at once cannot both pass the limit.
Readers follow the log by sequence number (`events(since=...)`): a device that slept catches up
with everything after the last number it saw.
"""
from __future__ import annotations

import hashlib
import json
import secrets
import sqlite3
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from ontology.texts import translate

# Join codes avoid letters and digits people confuse when reading them off a projector (0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
SCHEMA = """
CREATE TABLE IF NOT EXISTS workshop (
    id TEXT PRIMARY KEY, code TEXT UNIQUE NOT NULL, title TEXT NOT NULL, facilitator_hash TEXT NOT NULL,
    details TEXT NOT NULL, created REAL NOT NULL, closes REAL NOT NULL);
CREATE TABLE IF NOT EXISTS participant (
    id TEXT PRIMARY KEY, workshop TEXT NOT NULL REFERENCES workshop(id), name TEXT NOT NULL,
    body TEXT, token_hash TEXT UNIQUE NOT NULL, joined REAL NOT NULL);
CREATE TABLE IF NOT EXISTS event (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, workshop TEXT NOT NULL REFERENCES workshop(id),
    action TEXT NOT NULL, participant TEXT, kind TEXT NOT NULL, payload TEXT NOT NULL, at REAL NOT NULL,
    UNIQUE (workshop, action));
CREATE INDEX IF NOT EXISTS event_by_workshop ON event (workshop, seq);
"""


class WorkshopError(Exception):
    """A request a workshop refuses (an unknown or expired code, an activity not open, a spent dot
    budget), named by a key so each person reads it in their language: `text(lang)`; the message
    is the English text."""

    def __init__(self, key: str, **params: Any) -> None:
        self.key, self.params = key, params
        super().__init__(self.text("en"))

    def text(self, lang: str) -> str:
        fields = {name: translate(f"workshop.field.{value}", lang) if name == "field" else value
                  for name, value in self.params.items()}
        return translate(f"workshop.refused.{self.key}", lang).format(**fields)


@dataclass(frozen=True)
class Workshop:
    id: str
    code: str
    title: str
    details: dict[str, Any]  # date, scope, agenda: what the facilitator set up
    closes: float            # the join code expires with the workshop (seconds since the epoch)


@dataclass(frozen=True)
class Participant:
    id: str
    workshop: str
    name: str
    body: str | None


@dataclass(frozen=True)
class Event:
    seq: int
    action: str
    participant: str | None
    kind: str
    payload: dict[str, Any]
    at: float


def _hash(secret: str) -> str:
    """Secrets are kept as hashes: a copy of the log file does not let anyone act as someone else."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


class WorkshopLog:
    """The workshops of one PolicyGraph installation, in one SQLite file."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._db().executescript(SCHEMA)  # a script commits on its own, so not inside _write

    def _db(self) -> sqlite3.Connection:
        """One connection per thread (sqlite3 connections are not shared across threads)."""
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")
            db.execute("PRAGMA foreign_keys=ON")
            self._local.db = db
        return db

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken before reading what it checks (BEGIN IMMEDIATE)."""
        db = self._db()
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    # ------------------------------------------------------------------ facilitator
    def create(self, title: str, details: dict[str, Any], hours_open: float = 12.0) -> tuple[Workshop, str]:
        """A new workshop and the facilitator's secret (shown once; only its hash is kept)."""
        secret = secrets.token_urlsafe(24)
        now = time.time()
        with self._write() as db:
            for _attempt in range(20):
                code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
                if db.execute("SELECT 1 FROM workshop WHERE code = ?", (code,)).fetchone() is None:
                    break
            else:
                raise WorkshopError("no_code")
            workshop = Workshop(secrets.token_hex(8), code, title, details, now + hours_open * 3600)
            db.execute("INSERT INTO workshop VALUES (?, ?, ?, ?, ?, ?, ?)",
                       (workshop.id, code, title, _hash(secret), json.dumps(details, ensure_ascii=False), now,
                        workshop.closes))
        return workshop, secret

    def is_facilitator(self, workshop_id: str, secret: str) -> bool:
        row = self._db().execute("SELECT facilitator_hash FROM workshop WHERE id = ?", (workshop_id,)).fetchone()
        return row is not None and secrets.compare_digest(row[0], _hash(secret))

    # ------------------------------------------------------------------ participants
    def join(self, code: str, name: str, body: str | None = None) -> tuple[Participant, str]:
        """A participant of the workshop with this code, and their token (kept by their device)."""
        workshop = self.by_code(code)
        if workshop is None:
            raise WorkshopError("unknown_code", code=code.strip().upper())
        if time.time() > workshop.closes:
            raise WorkshopError("closed")
        token = secrets.token_urlsafe(24)
        participant = Participant(secrets.token_hex(8), workshop.id, name.strip(), body or None)
        with self._write() as db:  # the participant and the news of their joining, together
            now = time.time()
            db.execute("INSERT INTO participant VALUES (?, ?, ?, ?, ?, ?)",
                       (participant.id, workshop.id, participant.name, participant.body, _hash(token), now))
            db.execute("INSERT INTO event (workshop, action, participant, kind, payload, at) VALUES (?, ?, ?, ?, ?, ?)",
                       (workshop.id, "join-" + participant.id, participant.id, "join",
                        json.dumps({"name": participant.name, "body": participant.body}, ensure_ascii=False), now))
        return participant, token

    def participants(self, workshop_id: str) -> list[Participant]:
        rows = self._db().execute("SELECT id, workshop, name, body FROM participant WHERE workshop = ? ORDER BY joined",
                                  (workshop_id,)).fetchall()
        return [Participant(*row) for row in rows]

    def get(self, workshop_id: str) -> Workshop | None:
        row = self._db().execute("SELECT id, code, title, details, closes FROM workshop WHERE id = ?",
                                 (workshop_id,)).fetchone()
        return Workshop(row[0], row[1], row[2], json.loads(row[3]), row[4]) if row else None

    def all(self) -> list[Workshop]:
        rows = self._db().execute("SELECT id, code, title, details, closes FROM workshop ORDER BY created DESC").fetchall()
        return [Workshop(r[0], r[1], r[2], json.loads(r[3]), r[4]) for r in rows]

    def last_seq(self, workshop_id: str) -> int:
        row = self._db().execute("SELECT MAX(seq) FROM event WHERE workshop = ?", (workshop_id,)).fetchone()
        return int(row[0] or 0)

    def participant(self, token: str) -> Participant | None:
        row = self._db().execute("SELECT id, workshop, name, body FROM participant WHERE token_hash = ?",
                                 (_hash(token),)).fetchone()
        return Participant(*row) if row else None

    def by_code(self, code: str) -> Workshop | None:
        row = self._db().execute("SELECT id, code, title, details, closes FROM workshop WHERE code = ?",
                                 (code.strip().upper(),)).fetchone()
        return Workshop(row[0], row[1], row[2], json.loads(row[3]), row[4]) if row else None

    # ------------------------------------------------------------------ actions
    def record(self, workshop_id: str, action: str, kind: str, payload: dict[str, Any],
               participant: str | None = None, dots: int | None = None) -> int:
        """Store one action and return its sequence number; the same `action` id again returns the
        first one's number. With `dots`, a vote (`kind` "vote", payload "activity") is refused once the
        participant has used that many dots in the activity."""
        with self._write() as db:
            found = db.execute("SELECT seq FROM event WHERE workshop = ? AND action = ?",
                               (workshop_id, action)).fetchone()
            if found is not None:
                return found[0]
            if dots is not None and kind == "vote":
                used = db.execute("SELECT COUNT(*) FROM event WHERE workshop = ? AND participant = ? AND kind = 'vote' "
                                  "AND json_extract(payload, '$.activity') = ?",
                                  (workshop_id, participant, payload.get("activity"))).fetchone()[0]
                if used >= dots:
                    raise WorkshopError("dots_used", dots=dots)
            cursor = db.execute("INSERT INTO event (workshop, action, participant, kind, payload, at) "
                                "VALUES (?, ?, ?, ?, ?, ?)",
                                (workshop_id, action, participant, kind, json.dumps(payload, ensure_ascii=False),
                                 time.time()))
            return int(cursor.lastrowid)

    def events(self, workshop_id: str, since: int = 0, limit: int = 1000) -> list[Event]:
        """The actions after sequence number `since`, oldest first: what a device has not seen yet."""
        rows = self._db().execute("SELECT seq, action, participant, kind, payload, at FROM event "
                                  "WHERE workshop = ? AND seq > ? ORDER BY seq LIMIT ?",
                                  (workshop_id, since, limit)).fetchall()
        return [Event(seq, action, who, kind, json.loads(payload), at) for seq, action, who, kind, payload, at in rows]

    def close(self) -> None:
        db = getattr(self._local, "db", None)
        if db is not None:
            db.close()
            self._local.db = None
