"""The folder of an embedded store: generations of an Oxigraph database and a pointer to the current one.

Why generations: a load is several writes (files, then derived links), and Oxigraph's bulk writer is
not transactional, so a process killed half-way (or a full disk) used to leave new files in with an
empty derived graph, and questions silently answered 0 rows. Here a writer never touches what
readers see. It takes the write lock, makes a new generation from the current one (a RocksDB
checkpoint: hard links, no copy), writes there, closes it, and only then replaces the one-line
`GENERATION` file with an atomic rename. A process that dies at any moment leaves either the old
pointer (and an unfinished generation that the next writer removes) or the new one, never a mix.

It is also what lets the command line work beside `policygraph serve`: published generations are
never written again, so any number of processes open them read-only (`Store.read_only`, which is
undefined behaviour only beside a writer of the same folder), and a reader sees a load by noticing
that the pointer changed.

    var/store/GENERATION      "gen-000007"
    var/store/gen-000007/     the current database (read-only from now on)
    var/store/gen-000006/     the previous one, kept a while for readers that have it open
    var/store/write.lock      flock held by the one process writing
"""
from __future__ import annotations

import fcntl
import logging
import os
import re
import shutil
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

POINTER = "GENERATION"
LOCK = "write.lock"
_GENERATION = re.compile(r"^gen-(\d{6,})$")
KEPT_GENERATIONS = 2  # the current one and the one before, for readers that still have it open

log = logging.getLogger(__name__)


class FolderError(Exception):
    """The folder cannot be used as a store: not writable, locked for too long, or not ours."""


class StoreFolder:
    """Where the generations of one store live, and the rules for moving from one to the next."""

    def __init__(self, location: Path) -> None:
        self.location = location

    def current(self) -> Path | None:
        """The generation readers should open, or None for a store that was never written."""
        try:
            name = (self.location / POINTER).read_text(encoding="ascii").strip()
        except FileNotFoundError:
            return None
        if not _GENERATION.match(name) or not (self.location / name).is_dir():
            raise FolderError(f"{self.location / POINTER} names {name!r}, which is not a generation of "
                              "this store; the folder was changed by hand: load the data anew into an empty folder")
        return self.location / name

    def pointer_stamp(self) -> tuple[int, int] | None:
        """Cheap to ask on every query (one stat): changes whenever a writer publishes."""
        try:
            stat = (self.location / POINTER).stat()
        except FileNotFoundError:
            return None
        return stat.st_ino, stat.st_mtime_ns

    def is_legacy(self) -> bool:
        """A database written in place by an earlier version (RocksDB files right in the folder)."""
        return (self.location / "CURRENT").is_file() and not (self.location / POINTER).exists()

    def generations(self) -> list[Path]:
        found = [p for p in self.location.iterdir() if _GENERATION.match(p.name) and p.is_dir()]
        return sorted(found, key=lambda p: int(_GENERATION.match(p.name).group(1)))

    def next_generation(self) -> Path:
        numbers = [int(_GENERATION.match(p.name).group(1)) for p in self.generations()]
        return self.location / f"gen-{max(numbers, default=0) + 1:06d}"

    @contextmanager
    def write_lock(self, wait: float = 30.0) -> Iterator[None]:
        """One writer at a time across processes; a second one waits, then says who is in the way."""
        try:
            self.location.mkdir(parents=True, exist_ok=True)
            handle = open(self.location / LOCK, "a+")
        except OSError as exc:
            raise FolderError(f"cannot write the store at {self.location}: {exc.strerror or exc}") from None
        with handle:
            deadline = time.monotonic() + wait
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise FolderError(f"another process has been writing the store at {self.location} "
                                          f"for over {wait:g} s (a load?); try again when it is done") from None
                    time.sleep(0.05)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def publish(self, generation: Path) -> None:
        """Make `generation` the current one: write the pointer beside, then rename it over (atomic)."""
        temporary = self.location / f"{POINTER}.tmp"
        with open(temporary, "w", encoding="ascii") as out:
            out.write(generation.name + "\n")
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, self.location / POINTER)
        directory = os.open(self.location, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)

    def remove_unfinished(self) -> list[str]:
        """Generations newer than the current one were left by a writer that died: they were never
        visible to anyone, so removing them restores nothing and loses nothing. Call with the lock."""
        current = self.current()
        number = int(_GENERATION.match(current.name).group(1)) if current else 0
        removed = []
        for generation in self.generations():
            if int(_GENERATION.match(generation.name).group(1)) > number:
                shutil.rmtree(generation, ignore_errors=True)
                removed.append(generation.name)
        (self.location / f"{POINTER}.tmp").unlink(missing_ok=True)
        for name in removed:
            log.warning("removed %s in %s: an unfinished write by a process that stopped before it "
                        "was done; the store is as it was before that write", name, self.location)
        return removed

    def prune(self) -> None:
        """Drop generations older than the last KEPT_GENERATIONS. Call with the lock."""
        current = self.current()
        if current is None:
            return
        older = [g for g in self.generations() if g != current and
                 int(_GENERATION.match(g.name).group(1)) < int(_GENERATION.match(current.name).group(1))]
        for generation in older[:max(0, len(older) - (KEPT_GENERATIONS - 1))]:
            shutil.rmtree(generation, ignore_errors=True)

    def discard(self, generation: Path) -> None:
        shutil.rmtree(generation, ignore_errors=True)
