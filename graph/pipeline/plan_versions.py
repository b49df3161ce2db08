"""Every save of a plan edited in the browser is a version with who and when, so a plan can be read as
it was on a date and two versions compared.

One interface, two keepers: when the data folder lies inside a git repository, a version is a git
commit of that one file (made with dulwich, pure Python; the author is the editor's name, the message
says what changed; the work tree and index are left matching the commit, other staged changes are not
swept in). Otherwise a version is a copy in a versions folder beside the data,
`<data>/.versions/<file path>/<UTC stamp>.yaml-version` with `<stamp>.meta` (JSON: who, when, what);
the suffixes are ones `policygraph load data` does not read, so the copies are never loaded.

The first save of a file also keeps the file as it was before (who: nobody; when: its modification
time), when no version of it exists yet, so the first edit can be compared with the original.
"""
from __future__ import annotations

import difflib
import hashlib
import json
import os
import time
from dataclasses import asdict, dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Protocol

from graph.pipeline.drafts import write_whole
from graph.pipeline.plan_edits import CHILD_KEYS, walk
from graph.pipeline.draft_review import parse

VERSIONS_FOLDER = ".versions"
VERSION_SUFFIX = ".yaml-version"
META_SUFFIX = ".meta"
EMAIL = b"<>"   # git wants an address; the editor gave a name only


def digest(text: str | bytes) -> str:
    """The version a form was opened at: a hash of the file's bytes."""
    return hashlib.sha256(text.encode("utf-8") if isinstance(text, str) else text).hexdigest()[:16]


@dataclass(frozen=True)
class Version:
    """One kept state of a plan's file."""

    id: str
    when: float          # seconds since the epoch (UTC)
    who: str
    what: str
    digest: str

    @property
    def moment(self) -> datetime:
        return datetime.fromtimestamp(self.when, timezone.utc)

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "when": self.moment.isoformat(timespec="seconds")}


class Keeper(Protocol):
    kind: str

    def record(self, relative: str, before: str | None, after: str, who: str, what: str) -> Version: ...

    def history(self, relative: str) -> list[Version]: ...

    def text(self, relative: str, version_id: str) -> str | None: ...


def keeper_for(data_folder: Path) -> Keeper:
    """Git when the data folder is inside a repository, else the versions folder."""
    folder = Path(data_folder).resolve()
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return GitKeeper(candidate, folder)
    return FolderKeeper(folder)


# --------------------------------------------------------------------------------------- folder
class FolderKeeper:
    kind = "folder"

    def __init__(self, data_folder: Path) -> None:
        self.root = Path(data_folder) / VERSIONS_FOLDER

    def _folder(self, relative: str) -> Path:
        return self.root.joinpath(*relative.split("/"))

    def record(self, relative: str, before: str | None, after: str, who: str, what: str) -> Version:
        folder = self._folder(relative)
        if before is not None and not self.history(relative):
            source = Path(self.root.parent, relative)
            when = source.stat().st_mtime if source.exists() else time.time() - 1
            self._keep(folder, before, "", "", min(when, time.time() - 1))
        return self._keep(folder, after, who, what, time.time())

    def _keep(self, folder: Path, text: str, who: str, what: str, when: float) -> Version:
        stamp = datetime.fromtimestamp(when, timezone.utc).strftime("%Y%m%dT%H%M%S.%fZ")
        while (folder / (stamp + META_SUFFIX)).exists():   # two saves in one microsecond
            stamp += "x"
        write_whole(folder / (stamp + VERSION_SUFFIX), text)
        meta = {"who": who, "when": when, "what": what, "digest": digest(text)}
        write_whole(folder / (stamp + META_SUFFIX), json.dumps(meta, ensure_ascii=False))
        return Version(stamp, when, who, what, meta["digest"])

    def history(self, relative: str) -> list[Version]:
        versions = []
        for meta_file in sorted(self._folder(relative).glob("*" + META_SUFFIX)):
            try:
                meta = json.loads(meta_file.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            versions.append(Version(meta_file.name[:-len(META_SUFFIX)], float(meta["when"]), str(meta.get("who", "")),
                                    str(meta.get("what", "")), str(meta.get("digest", ""))))
        return sorted(versions, key=lambda v: (v.when, v.id), reverse=True)

    def text(self, relative: str, version_id: str) -> str | None:
        if not version_id or "/" in version_id or version_id.startswith("."):
            return None
        try:
            return (self._folder(relative) / (version_id + VERSION_SUFFIX)).read_text(encoding="utf-8")
        except (OSError, ValueError):
            return None


# ------------------------------------------------------------------------------------------ git
class GitKeeper:
    kind = "git"

    def __init__(self, repository: Path, data_folder: Path) -> None:
        self.repository = repository
        self.prefix = data_folder.relative_to(repository).as_posix()

    def _path(self, relative: str) -> bytes:
        return (f"{self.prefix}/{relative}" if self.prefix not in ("", ".") else relative).encode()

    def _repo(self):
        from dulwich.repo import Repo
        return Repo(str(self.repository))

    def record(self, relative: str, before: str | None, after: str, who: str, what: str) -> Version:
        with self._repo() as repo:
            if before is not None and self._at_head(repo, relative) != before:
                self._commit(repo, relative, before, "PolicyGraph", "before editing in the browser", index=False)
            commit = self._commit(repo, relative, after, who, what, index=True)
            return self._version(commit, after)

    def _at_head(self, repo, relative: str) -> str | None:
        try:
            head = repo[repo.head()]
        except KeyError:
            return None
        return self._blob(repo, head.tree, relative)

    def _blob(self, repo, tree: bytes, relative: str) -> str | None:
        from dulwich.object_store import tree_lookup_path
        try:
            _mode, sha = tree_lookup_path(repo.__getitem__, tree, self._path(relative))
        except KeyError:
            return None
        return repo[sha].data.decode("utf-8")

    def _commit(self, repo, relative: str, text: str, who: str, what: str, index: bool):
        """A commit changing only this file, made from HEAD's tree (not from the index, so nothing else
        staged is swept in); HEAD's branch moves to it."""
        from dulwich.index import index_entry_from_stat
        from dulwich.object_store import commit_tree_changes
        from dulwich.objects import Blob, Commit, Tree

        blob = Blob.from_string(text.encode("utf-8"))
        repo.object_store.add_object(blob)
        try:
            parent = repo.head()
            tree = repo[parent].tree
            parents = [parent]
        except KeyError:
            empty = Tree()
            repo.object_store.add_object(empty)
            tree, parents = empty.id, []
        commit = Commit()
        commit.tree = commit_tree_changes(repo.object_store, tree, [(self._path(relative), 0o100644, blob.id)])
        commit.parents = parents
        person = " ".join(who.split()).replace("<", "").replace(">", "").encode("utf-8") + b" " + EMAIL
        commit.author = commit.committer = person
        commit.author_time = commit.commit_time = int(time.time())
        commit.author_timezone = commit.commit_timezone = 0
        commit.encoding = b"UTF-8"
        commit.message = what.encode("utf-8") + b"\n"
        repo.object_store.add_object(commit)
        repo.refs[b"HEAD"] = commit.id
        if index:
            stage = repo.open_index()
            path = self.repository / self._path(relative).decode()
            stage[self._path(relative)] = index_entry_from_stat(os.stat(path), blob.id)
            stage.write()
        return commit

    def _version(self, commit, text: str) -> Version:
        who = commit.author.decode("utf-8", "replace").rsplit(" <", 1)[0]
        return Version(commit.id.decode(), float(commit.author_time), who,
                       commit.message.decode("utf-8", "replace").strip(), digest(text))

    def history(self, relative: str) -> list[Version]:
        with self._repo() as repo:
            try:
                head = repo.head()
            except KeyError:
                return []
            versions = []
            for entry in repo.get_walker(include=[head], paths=[self._path(relative)]):
                text = self._blob(repo, entry.commit.tree, relative)
                if text is not None:
                    versions.append(self._version(entry.commit, text))
            return versions

    def text(self, relative: str, version_id: str) -> str | None:
        if len(version_id) != 40 or not all(c in "0123456789abcdef" for c in version_id):
            return None
        with self._repo() as repo:
            try:
                commit = repo[version_id.encode()]
                return self._blob(repo, commit.tree, relative)
            except (KeyError, AttributeError):
                return None


# ------------------------------------------------------------------------------ reading versions
def in_force_on(versions: list[Version], day: date) -> Version | None:
    """The version a reader saw at the end of that day (UTC): the newest saved by then; before the
    first edit, the file as it was kept before it (a version by nobody), when there is one."""
    end = datetime(day.year, day.month, day.day, 23, 59, 59, 999999, tzinfo=timezone.utc).timestamp()
    newest_first = sorted(versions, key=lambda v: v.when, reverse=True)
    found = next((v for v in newest_first if v.when <= end), None)
    if found is None and newest_first and not newest_first[-1].who:
        return newest_first[-1]   # the file as it was before the first edit: in force until then
    return found


def unified_diff(old: str, new: str, old_name: str, new_name: str) -> list[str]:
    return list(difflib.unified_diff(old.splitlines(), new.splitlines(), old_name, new_name, lineterm="", n=2))


@dataclass
class NodeChanges:
    """What a comparison changed, by node id."""

    added: list[str]
    removed: list[str]
    changed: list[str]

    def as_json(self) -> dict[str, list[str]]:
        return asdict(self)


def _nodes(text: str) -> dict[str, str]:
    """id -> the node's own facts (its children's lists reduced to their ids), as comparable text."""
    try:
        document = parse(text)
    except Exception:  # noqa: BLE001 - an old version that no longer parses compares as text only
        return {}
    roots = document["graph"] if isinstance(document, dict) and isinstance(document.get("graph"), list) else [document]
    found = {}
    for node, _ in walk([r for r in roots if isinstance(r, dict)]):
        if "id" in node:
            own = {k: ([str(i.get("id")) if isinstance(i, dict) else str(i) for i in v] if k in CHILD_KEYS and
                       isinstance(v, list) else v) for k, v in node.items()}
            found[str(node["id"])] = json.dumps(own, default=str, sort_keys=True, ensure_ascii=False)
    return found


def node_changes(old: str, new: str) -> NodeChanges:
    before, after = _nodes(old), _nodes(new)
    return NodeChanges(added=[i for i in after if i not in before], removed=[i for i in before if i not in after],
                       changed=[i for i in after if i in before and before[i] != after[i]])
