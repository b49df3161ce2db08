"""Answers of the named questions, kept while the store's data stays the same.

Why: nationally a few questions take seconds (56,000 pairs of overlapping initiatives; every link in
the country checked for a dangling end), yet their answer changes only when the data does. Each
answer is computed once per version of the store (`Store.version()`: a published generation, a copy
in memory, a count of writes), by one thread however many ask at once, and kept until the data
changes or room is needed: the least recently used answers go first, counted in rows, so a budget
of rows bounds the memory. `Warmer` computes the national answers in the background when the web
app starts and again after every change, so the first visitor does not wait for them either.

A store that cannot say its version (a remote endpoint) is asked every time.
"""
from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from concurrent.futures import Future
from dataclasses import dataclass, replace
from typing import Any, Callable, Hashable, Iterable, Mapping

from graph.questions import workshop_scope
from graph.questions.library import (NamedQuery, QueryParameterError, QueryResult, library, resolve_iri, run_named,
                                     workshop_use)

log = logging.getLogger(__name__)

DEFAULT_ROWS = 1_000_000   # rows kept in all (see bench/README.md for the memory they take)


@dataclass
class _Entry:
    version: Hashable
    answer: Future
    rows: int = 0


class KeptAnswers:
    """Question answers keyed by (store version, question, parameters, language, workshops)."""

    def __init__(self, max_rows: int = DEFAULT_ROWS) -> None:
        self.max_rows = max_rows
        self._lock = threading.Lock()
        self._entries: OrderedDict[tuple, _Entry] = OrderedDict()
        self._rows = 0
        self._latest: dict[Hashable, Hashable] = {}   # each store's newest version with a kept answer

    def answer(self, store: Any, named: NamedQuery, params: Mapping[str, Any] | None = None, lang: str = "en",
               without_workshops: bool = False) -> QueryResult:
        """`run_named`'s answer, computed once per version of the store's data. An answer that was
        kept says so (`QueryResult.kept`); a failure is not kept, the next asker tries again."""
        key = ("question", named.id, named.sparql, _params_key(named, params), lang, without_workshops)
        result, fresh = self._keep(store, key, lambda: run_named(store, named, params, lang,
                                                                 without_workshops=without_workshops),
                                   lambda r: len(r.rows))
        return result if fresh else replace(result, kept=True)

    def value(self, store: Any, key: tuple, compute: Callable[[], Any], size: Callable[[Any], int] = lambda v: 1) -> Any:
        """Any other value read from the store (the front page's figures, a view's data), kept the
        same way; `size` counts it in rows against the budget."""
        return self._keep(store, key, compute, size)[0]

    def _keep(self, store: Any, key: tuple, compute: Callable[[], Any], size: Callable[[Any], int]) -> tuple[Any, bool]:
        """(value, True when computed by this call)."""
        version = store.version()
        if version is None:
            return compute(), True
        key = (version, *key)
        with self._lock:
            entry = self._entries.get(key)
            mine = entry is None
            if mine:
                entry = self._entries[key] = _Entry(version, Future())
            else:
                self._entries.move_to_end(key)
        if not mine:
            return entry.answer.result(), False
        try:
            value = compute()
        except BaseException as error:
            with self._lock:
                self._entries.pop(key, None)
            entry.answer.set_exception(error)
            raise
        entry.answer.set_result(value)
        self._account(key, entry, size(value))
        return value, True

    def workshop_use(self, store: Any, named: NamedQuery, params: Mapping[str, Any] | None, lang: str,
                     result: QueryResult, left_out: bool) -> workshop_scope.WorkshopUse:
        """`library.workshop_use`, with the answer without workshop graphs kept like any other."""
        return workshop_use(store, named, params, lang, result, left_out, ask=self.answer)

    def _account(self, key: tuple, entry: _Entry, rows: int) -> None:
        """Count the rows in; drop answers of older versions of the same store, then the least
        recently used, until the budget holds (an answer larger than the budget is not kept)."""
        with self._lock:
            if self._entries.get(key) is not entry:
                return
            entry.rows = rows
            self._rows += rows
            serial = _serial(entry.version)
            if self._latest.get(serial) != entry.version:   # the store's data changed: once per version
                self._latest[serial] = entry.version
                for other in [k for k, e in self._entries.items()
                              if _serial(e.version) == serial and e.version != entry.version and e.answer.done()]:
                    self._drop(other)
            if self._rows > self.max_rows:
                for other in [k for k, e in self._entries.items() if e.answer.done()]:
                    if self._rows <= self.max_rows:
                        break
                    self._drop(other)

    def _drop(self, key: tuple) -> None:
        self._rows -= self._entries.pop(key).rows

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._rows = 0
            self._latest.clear()

    @property
    def rows(self) -> int:
        """Rows kept now (what the memory budget counts)."""
        return self._rows


def _params_key(named: NamedQuery, params: Mapping[str, Any] | None) -> tuple:
    """The parameters as one key: an id given short (org/koebenhavn) or in full is the same answer."""
    iris = {p.name for p in named.parameters if p.type == "iri"}

    def value(name: str, given: Any) -> str:
        if name in iris:
            try:
                return resolve_iri(given)
            except QueryParameterError:
                pass   # run_named refuses it, and nothing is kept
        return str(given)

    return tuple(sorted((str(k), value(str(k), v)) for k, v in (params or {}).items()))


def _serial(version: Hashable) -> Hashable:
    """The store a version belongs to: its first part when it has parts (OxigraphStore: (serial, state))."""
    return version[0] if isinstance(version, tuple) and version else version


KEPT = KeptAnswers()   # the process's kept answers: the web app's pages, its report and its findings share them


def national_questions() -> list[NamedQuery]:
    """The questions a page asks without being given anything: those with no required parameter."""
    return [q for q in library().values() if not q.needs_input()]


def municipality_questions() -> list[NamedQuery]:
    """Those of them that can be narrowed to one municipality (every page about one asks them)."""
    return [q for q in national_questions() if any(p.name == "municipality" for p in q.parameters)]


def municipalities(store: Any) -> list[str]:
    """The municipalities that have documents, in IRI order."""
    rows = store.query("SELECT DISTINCT ?m WHERE { ?d pg:municipality ?m } ORDER BY ?m")
    return [row["m"].value for row in rows]


class Warmer:
    """Computes the national answers of every question in the background, when started and again
    whenever the store's version changes (checked every `interval` seconds), first in the default
    language, then each municipality's (every page about one asks them; about 0.4 s a municipality
    on the bench graph). One daemon thread; it gives up on a question that fails and goes on."""

    def __init__(self, store: Any, langs: Iterable[str], kept: KeptAnswers = KEPT, interval: float = 2.0,
                 questions: Callable[[], list[NamedQuery]] = national_questions,
                 also: Iterable[Callable[[Any, str], Any]] = (), municipalities: bool = True) -> None:
        self.store, self.langs, self.kept, self.interval = store, list(langs), kept, interval
        self.questions, self.also = questions, list(also)   # `also`: other views kept with KEPT.value
        self.municipalities = municipalities                # each municipality's answers after the national ones
        self.warmed: Hashable | None = None     # the version last warmed through
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="policygraph-warm-answers", daemon=True)

    def start(self) -> "Warmer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                version = self.store.version()
                if version is not None and version != self.warmed and self.warm_once(version):
                    self.warmed = version
            except Exception:  # noqa: BLE001 - a closed or broken store: try again later, never die silently
                log.exception("warming the kept answers failed")
            self._stop.wait(self.interval)

    def warm_once(self, version: Hashable | None = None) -> bool:
        """National answers (and the `also` views) in every language, then each municipality's;
        False when stopped, or when the data changed meanwhile (the next round starts over)."""
        started = time.perf_counter()
        rounds = [(lang, None) for lang in self.langs]
        places = municipalities(self.store) if self.municipalities else []
        rounds += [(lang, m) for lang in self.langs for m in places]
        for lang, municipality in rounds:
            if self._stop.is_set() or (version is not None and self.store.version() != version):
                return False
            if municipality is None:
                self._views(lang)
            questions = self.questions() if municipality is None else municipality_questions()
            params = {} if municipality is None else {"municipality": municipality}
            for named in questions:
                try:
                    result = self.kept.answer(self.store, named, params, lang)
                    self.kept.workshop_use(self.store, named, params, lang, result, False)
                except Exception as error:  # noqa: BLE001 - one failing question must not stop the others
                    log.warning("warming %s (%s, %s) failed: %s", named.id, lang, municipality or "national", error)
        log.info("kept answers warmed in %.1f s (%d municipalities, %d rows kept)", time.perf_counter() - started,
                 len(places), self.kept.rows)
        return True

    def _views(self, lang: str) -> None:
        for view in self.also:
            try:
                view(self.store, lang)
            except Exception as error:  # noqa: BLE001 - as for a question
                log.warning("warming %s (%s) failed: %s", getattr(view, "__name__", view), lang, error)
