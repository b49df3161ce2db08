"""Edit a plan in the browser (`/plans/<id>/edit`), see its versions (`/plans/<id>/versions`, as it was
on a date with `?as_of=`), one version (`/plans/<id>/versions/<v>`) and two compared
(`/plans/<id>/compare?from=&to=`), each read-only page with its `.json` twin.

Writes need the installation's update token (POLICYGRAPH_UPDATE_TOKEN): a person signs in with it and
their name once, and the signed session remembers both (the token as an HMAC under the app's secret
key, so a changed token ends every sign-in). Every POST is CSRF-protected (web/workshop/setup.py).
Each form carries the version of the file it was opened at: a save against a file changed since is
refused with 409 and a link to compare; the edits, validation, writing and versions are
graph/pipeline/plan_edits.py, plan_save.py and plan_versions.py.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

from flask import Blueprint, Response, current_app, g, redirect, render_template, request, session, url_for

from graph.explore.edit_choices import KINDS, choices
from graph.pipeline.plan_edits import (CONTINUATION_KEYS, LINK_KEYS, EditRefused, OutlineNode, add_initiative,
                                       link, move_initiative, outline, set_budget, set_continuation, unlink)
from graph.pipeline.plan_save import EditConflict, EditInvalid, PlanFile, editor_name, plan_file, save_edit
from graph.pipeline.plan_versions import Version, digest, in_force_on, keeper_for, node_changes, unified_diff
from graph.store.labels import Labeller
from ontology import base_iri
from ontology.texts import translate
from web.errors import Problem
from web.twins import Reply, twin
from web.workshop import access

bp = Blueprint("editing", __name__)
SESSION_KEY = "pg_editor"
AREA_KINDS = ("FocusArea", "Bearing", "Goal")
CURRENT = "current"


def _t(key: str) -> str:
    return translate(f"editing.{key}", g.lang)


def _data_folder() -> Path:
    return Path(current_app.config.get("DATA_FOLDER") or os.environ.get("POLICYGRAPH_DATA", "data"))


def _plan(path: str) -> PlanFile:
    found = plan_file(current_app.config["STORE"], path, _data_folder())
    if found is None:
        raise Problem(404, _t("no_plan_file"), key="edit-no-plan")
    try:
        _outline(found.text())
    except Exception as exc:  # noqa: BLE001 - a file broken by hand after loading may fail anywhere in reading it
        first = next((line for line in str(exc).splitlines() if line.strip()), type(exc).__name__)
        raise Problem(409, _t("unreadable_file").format(file=found.relative), detail=first[:300],
                      key="edit-unreadable-file") from None
    return found



@lru_cache(maxsize=32)
def _outline(text: str) -> OutlineNode:
    """A file's tree, read once per text (never changed by a view): one page reads the same file
    several times (the check, the form, the names) and ruamel's round-trip reader is slow."""
    return outline(text)

# ----------------------------------------------------------------------------------- credential
def _token_mark() -> str:
    """The token as the session keeps it: an HMAC under the secret key, never the token itself."""
    key = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, (current_app.config.get("UPDATE_TOKEN") or "").encode(), hashlib.sha256).hexdigest()


def signed_in_name() -> str | None:
    """The signed-in editor's name, while the installation's token is the one they signed in with."""
    kept = session.get(SESSION_KEY)
    if not access.may_create() or not isinstance(kept, dict):
        return None
    if not secrets.compare_digest(str(kept.get("mark", "")), _token_mark()):
        return None
    return str(kept.get("name") or "") or None


def _writer(plan: PlanFile) -> str:
    if not access.may_create():
        raise _edit_problem(plan, 403, _t("writes_off"), key="edit-writes-off")
    name = signed_in_name()
    if name is None:
        raise _edit_problem(plan, 403, _t("not_signed_in"), key="edit-not-signed-in")
    return name


@bp.route("/plans/<path:path>/signin", methods=["POST"])
def signin(path: str) -> Response:
    plan = _plan(path)
    if not access.may_create():
        raise _edit_problem(plan, 403, _t("writes_off"), key="edit-writes-off")
    if not access.token_matches(request.form.get("token", "")):
        raise _edit_problem(plan, 403, _t("bad_token"), key="edit-bad-token", failed="signin")
    try:
        name = editor_name(request.form.get("name", ""))
    except EditRefused as refused:
        raise _edit_problem(plan, 400, _t("refused"), _refusal(refused), key="edit-refused", failed="signin") from None
    session[SESSION_KEY] = {"mark": _token_mark(), "name": name}
    return redirect(url_for("editing.form", path=path), code=303)


@bp.route("/plans/<path:path>/signout", methods=["POST"])
def signout(path: str) -> Response:
    session.pop(SESSION_KEY, None)
    return redirect(url_for("editing.form", path=path), code=303)


@bp.app_template_global()
def editable_plan(iri: str) -> str | None:
    """The plan's id when the resource page may link to its edit form and versions: a plan whose
    own file is in the data folder."""
    base = base_iri()
    if not iri.startswith(base + "doc/"):
        return None
    found = plan_file(current_app.config["STORE"], iri[len(base):], _data_folder())
    return found.plan if found else None


# -------------------------------------------------------------------------------- the edit form
def _own_label(label: dict[str, str]) -> str:
    return label.get(g.lang) or label.get("da") or label.get("en") or next(iter(label.values()), "")


def _nodes(root: OutlineNode) -> list[OutlineNode]:
    found, pending = [], [root]
    while pending:
        node = pending.pop(0)
        found.append(node)
        pending[:0] = node.children
    return found


def _label(labels: Labeller, node_id: str) -> str:
    """A referenced node's name in the store; an id that cannot be an IRI (typed into a form) as typed."""
    try:
        return labels(base_iri() + node_id)
    except ValueError:
        return node_id


def _view_node(node: OutlineNode, labels: Labeller) -> dict[str, Any]:
    """One node as the form shows it: names, never ids."""
    kind = translate(f"importing.kind.{node.kind}", g.lang)
    links = [{"key": key, "name": _t(f"rel.{key}"),
              "targets": [{"id": target, "label": _label(labels, target)} for target in targets]}
             for key, targets in node.links.items()]
    return {"id": node.id, "kind": node.kind, "kind_label": kind if not kind.startswith("importing.") else node.kind,
            "label": _own_label(node.label), "budget": node.budget, "links": links,
            "children": [_view_node(child, labels) for child in node.children]}


def _choices(plan: PlanFile, labels: Labeller) -> dict[str, list[tuple[str, str]]]:
    """(id, name) per kind of link target, sorted by name."""
    store, base = current_app.config["STORE"], base_iri()
    found = {key: choices(store, key, exclude_prefix=plan.plan + "/" if key == "continues" else "") for key in KINDS}
    found["replaces"] = [iri for iri in found["replaces"] if iri != base + plan.plan]
    labels.load(iri for iris in found.values() for iri in iris)
    return {key: sorted(((iri[len(base):], labels(iri)) for iri in iris), key=lambda pair: pair[1].casefold())
            for key, iris in found.items()}


def edit_context(plan: PlanFile, failed: str = "", findings: list[str] | None = None,
                 conflict: dict[str, str] | None = None) -> dict[str, Any]:
    text = plan.text()
    tree = _outline(text)
    labels = Labeller(current_app.config["STORE"], g.lang)
    try:
        labels.load(base_iri() + t for n in _nodes(tree) for targets in n.links.values() for t in targets)
    except ValueError:  # an id in the file that is no IRI: each is named on its own
        pass
    every = _nodes(tree)
    initiatives = [(n.id, _own_label(n.label)) for n in every if n.kind in ("Initiative", "ReservedFund")]
    areas = [(n.id, _own_label(n.label)) for n in every if n.kind in AREA_KINDS]
    return {"plan": plan.plan, "plan_iri": base_iri() + plan.plan, "file": plan.relative, "version": digest(text),
            "label": _own_label(tree.label), "tree": _view_node(tree, labels),
            "initiatives": initiatives, "areas": areas,
            "choices": _choices(plan, labels) if access.may_create() and signed_in_name() else {},
            "may_write": access.may_create(), "editor": signed_in_name(),
            "saved": request.args.get("saved", "")[:64] if request.method == "GET" else "",
            "failed": failed, "findings": findings or [], "conflict": conflict,
            "sent": {k: v[:500] for k, v in request.form.items() if k not in ("csrf_token", "token", "version")}
            if failed else {}}


def _edit_problem(plan: PlanFile, status: int, message: str, detail: str = "", key: str = "edit-refused",
                  failed: str = "", findings: list[str] | None = None, conflict: dict[str, str] | None = None) -> Problem:
    return Problem(status, message, detail=detail, key=key,
                   page=("editing/edit.html", {"data": edit_context(plan, failed, findings, conflict)}))


@bp.get("/plans/<path:path>/edit")
def form(path: str) -> str:
    plan = _plan(path)
    return render_template("editing/edit.html", data=edit_context(plan))


# --------------------------------------------------------------------------------- saving edits
def _refusal(refused: EditRefused) -> str:
    return _t(f"refused_{refused.key}").format(**refused.values)


def _field(name: str) -> str:
    value = request.form.get(name, "")
    return value[:2000] if isinstance(value, str) else ""


def _chosen(name: str) -> str:
    value = _field(name).strip()
    if not value:
        raise EditRefused("choose")
    return value


def _operation(op: str, plan: PlanFile) -> tuple[Callable[[str], str], str]:
    """(the edit, what it does in words) for the submitted form."""
    tree = _outline(plan.text())
    names = {n.id: _own_label(n.label) for n in _nodes(tree)}
    labels = Labeller(current_app.config["STORE"], g.lang)

    def name(node_id: str) -> str:
        """A node of the plan by its label in the file, anything else by its label in the store."""
        return names.get(node_id) or _label(labels, node_id)

    if op == "budget":
        node, year, typed = _chosen("node"), _field("year"), _field("amount")
        what = (_t("what.budget").format(node=name(node), year=year, amount=typed.strip()) if typed.strip()
                else _t("what.budget_removed").format(node=name(node), year=year))
        return (lambda text: set_budget(text, node, year, typed)), what
    if op == "add":
        area, label_da = _chosen("area"), _field("label_da")
        what = _t("what.add").format(label=" ".join(label_da.split()), area=name(area))
        return (lambda text: add_initiative(text, area, label_da, _field("label_en"), _field("place"),
                                            _field("quote"))[0]), what
    if op == "move":
        node, area = _chosen("node"), _chosen("area")
        return (lambda text: move_initiative(text, node, area)), _t("what.move").format(node=name(node), area=name(area))
    relation = _field("relation")
    if op in ("link", "unlink") and relation in LINK_KEYS:
        node, target = _chosen("node"), _chosen("target")
        change = link if op == "link" else unlink
        what = _t(f"what.{op}").format(node=name(node), relation=_t(f"rel.{relation}"), target=name(target))
        return (lambda text: change(text, node, relation, target)), what
    if op == "continuation" and relation in CONTINUATION_KEYS:
        node, target = _chosen("node"), _field("target").strip()
        what = (_t("what.continuation").format(node=name(node), relation=_t(f"rel.{relation}"), target=name(target))
                if target else _t("what.continuation_removed").format(node=name(node), relation=_t(f"rel.{relation}")))
        return (lambda text: set_continuation(text, node, relation, target)), what
    raise EditRefused("unknown_op")


@bp.post("/plans/<path:path>/edit")
def apply(path: str) -> Response:
    """One operation of the form, saved as a new version or refused with nothing written."""
    plan = _plan(path)
    who = _writer(plan)
    op = _field("op")[:20]
    failed = f"{op}_{_field('relation')[:20]}" if op in ("link", "continuation") else op
    opened = _field("version")[:64]
    try:
        edit, what = _operation(op, plan)
        saved = save_edit(current_app.config["STORE"], plan, opened, edit, who, what, g.lang)
    except EditRefused as refused:
        raise _edit_problem(plan, 400, _t("refused"), _refusal(refused), failed=failed) from None
    except EditInvalid as invalid:
        raise _edit_problem(plan, 400, _t("invalid"), key="edit-invalid", failed=failed, findings=invalid.messages) from None
    except EditConflict as conflict:
        opened_version = next((v for v in _history(plan) if v.digest == conflict.opened), None)
        where = {"compare": url_for("editing.compare", path=path, **{"from": opened_version.id, "to": CURRENT})
                 if opened_version else url_for("editing.versions", path=path),
                 "what": what}
        raise _edit_problem(plan, 409, _t("conflict"), key="edit-conflict", failed=failed, conflict=where) from None
    return redirect(url_for("editing.form", path=path, saved=saved.id) + "#saved", code=303)


# ------------------------------------------------------------------------------------- versions
def _history(plan: PlanFile) -> list[Version]:
    return keeper_for(plan.data_folder).history(plan.relative)


def _version_json(version: Version, path: str) -> dict[str, Any]:
    return {**version.as_json(), "page": url_for("editing.version", path=path, version=version.id)}


def _as_of() -> date | None:
    typed = request.args.get("as_of", "")
    if not typed:
        return None
    try:
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", typed):
            raise ValueError(typed)
        return date.fromisoformat(typed)
    except ValueError:
        raise Problem(400, _t("bad_date"), detail=typed[:40], key="edit-bad-date") from None


@twin(bp, "/plans/<path:path>/versions", "editing/versions.html")
def versions(path: str) -> Reply:
    plan = _plan(path)
    history = _history(plan)
    day = _as_of()
    chosen = in_force_on(history, day) if day else None
    data = {"plan": plan.plan, "file": plan.relative, "kept_in": keeper_for(plan.data_folder).kind,
            "current": digest(plan.text()), "versions": [_version_json(v, path) for v in history],
            "as_of": day.isoformat() if day else "", "in_force": _version_json(chosen, path) if chosen else None}
    text = keeper_for(plan.data_folder).text(plan.relative, chosen.id) if chosen else None
    page = {"data": data, "label": _plan_label(plan), "plan_iri": base_iri() + plan.plan,
            "in_force_tree": _tree_of(text) if text else None, "history": history}
    return Reply(json=lambda: {**data, "text": text}, page=lambda: page)


def _plan_label(plan: PlanFile) -> str:
    return _own_label(_outline(plan.text()).label)


def _tree_of(text: str) -> dict[str, Any] | None:
    try:
        tree = _outline(text)
    except Exception:  # noqa: BLE001 - an old version that no longer reads is shown as text only
        return None
    labels = Labeller(current_app.config["STORE"], g.lang)
    return _view_node(tree, labels)


def _version_text(plan: PlanFile, version: str) -> str:
    if version == CURRENT:
        return plan.text()
    text = keeper_for(plan.data_folder).text(plan.relative, version[:64])
    if text is None:
        raise Problem(404, _t("no_version"), detail=version[:64], key="edit-no-version")
    return text


@twin(bp, "/plans/<path:path>/versions/<version>", "editing/version.html")
def version(path: str, version: str) -> Reply:
    plan = _plan(path)
    text = _version_text(plan, version)
    meta = next((v for v in _history(plan) if v.id == version), None)
    data = {"plan": plan.plan, "file": plan.relative, "version": _version_json(meta, path) if meta else None,
            "id": version[:64], "text": text}
    return Reply(json=lambda: data, page=lambda: {"data": data, "meta": meta, "label": _plan_label(plan),
                                                   "tree": _tree_of(text), "plan_iri": base_iri() + plan.plan})


@twin(bp, "/plans/<path:path>/compare", "editing/compare.html")
def compare(path: str) -> Reply:
    """Two versions side by side as a unified diff of the file's text, and the nodes added, removed
    and changed by id (named by their labels in the newer text)."""
    plan = _plan(path)
    history = _history(plan)
    newer = request.args.get("to", "") or (history[0].id if history else CURRENT)
    older = request.args.get("from", "") or _before(newer, history, digest(plan.text()))
    old_text, new_text = _version_text(plan, older), _version_text(plan, newer)
    changes = node_changes(old_text, new_text)
    names = {n.id: _own_label(n.label) for text in (old_text, new_text) for n in _safe_nodes(text)}
    data = {"plan": plan.plan, "from": older[:64], "to": newer[:64], "changes": changes.as_json(),
            "diff": unified_diff(old_text, new_text, older[:64], newer[:64])}
    options = [(CURRENT, _t("current"))] + [(v.id, f"{v.moment:%Y-%m-%d %H:%M:%S} · {v.who or _t('original')}")
                                            for v in history]
    return Reply(json=lambda: data, page=lambda: {"data": data, "names": names, "options": options,
                                                   "label": _plan_label(plan), "plan_iri": base_iri() + plan.plan})


def _before(newer: str, history: list[Version], current: str) -> str:
    """The version to compare with when none is named: the one saved before `newer`."""
    if newer == CURRENT:
        return next((v.id for v in history if v.digest != current), CURRENT)
    ids = [v.id for v in history]
    return ids[ids.index(newer) + 1] if newer in ids[:-1] else newer


def _safe_nodes(text: str) -> list[OutlineNode]:
    try:
        return _nodes(_outline(text))
    except Exception:  # noqa: BLE001 - a version that no longer reads names no nodes
        return []
