"""Bring your own plan: upload a document (`/import`), review the draft beside its source
(`/drafts/<id>`, with its `.json` twin), correct, accept or drop nodes, and save it into the data
folder, validated and loaded all or nothing.

Writes need the installation's update token (POLICYGRAPH_UPDATE_TOKEN), typed into the upload form as
for creating a workshop; the upload then gives that browser the draft's own secret in an HttpOnly
cookie, and the draft answers only to it. Every POST is CSRF-protected (web/workshop/setup.py).
The drafts live beside the store (POLICYGRAPH_DRAFTS, default var/drafts) and are loaded nowhere;
a draft older than POLICYGRAPH_DRAFT_DAYS (default 14) is removed when a new one is made or one is saved;
the data folder a draft is saved into is POLICYGRAPH_DATA (default data/).
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, current_app, g, redirect, render_template, request, url_for
from werkzeug.exceptions import RequestEntityTooLarge

from graph.pipeline import draft_review
from graph.pipeline.drafts import KEEP_DAYS, Draft, DraftFolder, DraftInvalid, DraftRefused, save_draft, target_file
from graph.store.labels import Labeller
from graph.workshop import scope
from ontology import base_iri
from ontology.texts import translate
from web.errors import Problem, error_response
from web.twins import Reply, twin
from web.workshop import access

bp = Blueprint("importing", __name__)
MAX_UPLOAD_MB = 20
MAX_MAPPING_CHARS = 10_000
MAX_FIELD_CHARS = 2000  # a review field: a few ids
FORM_OVERHEAD = 1 << 20  # the rest of the multipart form besides the file


@bp.record_once
def configure(state) -> None:
    """The size limit (Flask refuses a bigger request before it is read), the drafts folder and the
    data folder, each from the environment unless the app's config names them."""
    config = state.app.config
    config.setdefault("IMPORT_MAX_BYTES", int(os.environ.get("POLICYGRAPH_IMPORT_MAX_MB", MAX_UPLOAD_MB)) * 1_000_000)
    config.setdefault("MAX_CONTENT_LENGTH", config["IMPORT_MAX_BYTES"] + FORM_OVERHEAD)
    config.setdefault("DRAFTS_FOLDER", os.environ.get("POLICYGRAPH_DRAFTS")
                      or str(Path(config["STORE_PATH"]).parent / "drafts"))
    config.setdefault("DATA_FOLDER", os.environ.get("POLICYGRAPH_DATA", "data"))
    config.setdefault("DRAFT_DAYS", float(os.environ.get("POLICYGRAPH_DRAFT_DAYS") or KEEP_DAYS))


def _drafts() -> DraftFolder:
    return DraftFolder(current_app.config["DRAFTS_FOLDER"], current_app.config["DRAFT_DAYS"])


def _cookie(draft_id: str) -> str:
    return f"pgd_{draft_id}"


# ---------------------------------------------------------------------------------------- upload
def _municipalities() -> list[tuple[str, str]]:
    """(id as the authoring format writes it, name) of the municipalities the store knows."""
    store = current_app.config["STORE"]
    towns = scope.municipalities(store)
    labels = Labeller(store, g.lang)
    labels.load(towns)
    base = base_iri()
    return sorted(((iri[len(base):], labels(iri)) for iri in towns if iri.startswith(base)), key=lambda x: x[1])


def _upload_form(sent: bool = True) -> dict[str, Any]:
    """The form's choices, and what was sent (kept when it is refused; not read when the body was too large)."""
    sent = sent and request.method == "POST"
    return {"municipalities": _municipalities(), "may_write": access.may_create(),
            "max_mb": f"{current_app.config['IMPORT_MAX_BYTES'] / 1_000_000:g}",
            "chosen": request.form.get("municipality", "") if sent else "",
            "mapping": request.form.get("mapping", "")[:MAX_MAPPING_CHARS] if sent else ""}


def _refuse(status: int, key: str, detail: str = "", sent: bool = True) -> Problem:
    return Problem(status, translate(f"importing.{key}", g.lang), detail=detail, key=f"import-{key.replace('_', '-')}",
                   page=("importing/upload.html", {"form": _upload_form(sent)}))


@bp.errorhandler(RequestEntityTooLarge)
def too_large(_error: RequestEntityTooLarge) -> Response:
    """Refused before the body is read (MAX_CONTENT_LENGTH): said beside the form, in the reader's language."""
    return error_response(_refuse(413, "too_large", sent=False))


@bp.route("/import", methods=["GET", "POST"])
def upload() -> Any:
    if request.method == "GET":
        return render_template("importing/upload.html", form=_upload_form())
    if not access.may_create():
        raise _refuse(403, "writes_off")
    if not access.token_matches(request.form.get("token", "")):
        raise _refuse(403, "bad_token")
    sent = request.files.get("file")
    if sent is None or not sent.filename:
        raise _refuse(400, "no_file")
    content = sent.read(current_app.config["IMPORT_MAX_BYTES"] + 1)
    if len(content) > current_app.config["IMPORT_MAX_BYTES"]:
        raise _refuse(413, "too_large")
    municipality = request.form.get("municipality", "")
    if municipality and municipality not in dict(_municipalities()):
        raise _refuse(400, "bad_municipality")
    mapping = request.form.get("mapping", "")
    if len(mapping) > MAX_MAPPING_CHARS:
        raise _refuse(400, "mapping_too_long")
    try:
        draft, secret = _drafts().create(sent.filename, content, municipality, mapping,
                                         Path(current_app.config["DATA_FOLDER"]))
    except DraftRefused as refused:
        raise _refuse(400, "refused", str(refused)) from None
    response = redirect(url_for("importing.review", draft_id=draft.id), code=303)
    response.set_cookie(_cookie(draft.id), secret, max_age=7 * 24 * 3600, httponly=True, samesite="Lax",
                        secure=request.is_secure, path="/drafts/")
    return response


# ---------------------------------------------------------------------------------------- review
def _own_draft(draft_id: str) -> Draft:
    """The draft, for the browser that uploaded it; a draft that is not there and one that is not
    theirs answer alike, so ids cannot be probed."""
    draft = _drafts().open(draft_id)
    if draft is None or not draft.owned_by(request.cookies.get(_cookie(draft_id))):
        raise Problem(404, translate("importing.no_draft", g.lang), key="import-no-draft")
    return draft


def review_context(draft: Draft) -> dict[str, Any]:
    blocks = draft.blocks()
    text = draft.text()
    nodes = draft_review.review_nodes(text, blocks, g.lang)
    blocks = draft_review.shown_blocks(blocks, g.lang)
    data_folder = Path(current_app.config["DATA_FOLDER"])
    try:
        plan = draft_review.plan_id(text)
        target = target_file(plan, data_folder).relative_to(data_folder).as_posix()
    except DraftRefused:  # shown without a target; saving says why
        plan, target = "", ""
    every = list(draft_review.walk(nodes))
    return {"id": draft.id, "file": draft.meta.get("file", ""), "municipality": draft.meta.get("municipality", ""),
            "plan": plan, "target": target, "saved": draft.meta.get("saved", ""),
            "count": len(every), "low": sum(1 for n in every if n.low), "nodes": nodes, "blocks": blocks}


@twin(bp, "/drafts/<draft_id>", "importing/review.html")
def review(draft_id: str) -> Reply:
    draft = _own_draft(draft_id)
    context = review_context(draft)
    data = {**context, "nodes": [n.as_json() for n in context["nodes"]]}
    return Reply(json=lambda: data, page=lambda: {"data": context, "plan_iri": base_iri() + context["plan"],
                                                  "statuses": draft_review.STATUSES})


def _review_problem(draft: Draft, status: int, message: str, detail: str = "", findings: list[str] | None = None) -> Problem:
    context = review_context(draft)
    return Problem(status, message, detail=detail, key="import-draft-refused",
                   page=("importing/review.html", {"data": context, "plan_iri": base_iri() + context["plan"],
                                                   "findings": findings or [], "statuses": draft_review.STATUSES}))


@bp.route("/drafts/<draft_id>/edit", methods=["POST"])
def edit(draft_id: str) -> Response:
    """One node: change its labels and amounts, set its links and facts, give the plan its id, accept
    it, or drop it (with its children)."""
    draft = _own_draft(draft_id)
    if draft.meta.get("saved"):
        raise _review_problem(draft, 409, translate("importing.already_saved", g.lang))
    node = request.form.get("node", "")
    action = request.form.get("action", "")
    try:
        text = draft.text()
        if action == "drop":
            text = draft_review.drop(text, node)
        elif action == "accept":
            text = draft_review.accept(text, node)
        elif action == "change":
            amounts = {int(key[7:]): value for key, value in request.form.items()
                       if key.startswith("amount-") and key[7:].isdigit() and len(key) == 11 and value.strip()}
            text = draft_review.change(text, node, request.form.get("label"), amounts, request.form.get("label_en"))
        elif action == "set":
            text = draft_review.set_fields(text, node, {key[6:]: value[:MAX_FIELD_CHARS] for key, value
                                                        in request.form.items() if key.startswith("field-")})
        elif action == "rename":
            renamed = request.form.get("new_id", "")[:MAX_FIELD_CHARS]
            text = draft_review.rename(text, node, renamed)
            node = renamed.strip()
        else:
            raise DraftRefused(f"unknown action '{action[:20]}'")
        draft.replace_text(text)
    except DraftRefused as refused:
        raise _review_problem(draft, 400, translate("importing.edit_refused", g.lang), str(refused)) from None
    return redirect(url_for("importing.review", draft_id=draft.id) + ("" if action == "drop" else "#node-" + _anchor(node)),
                    code=303)


def _anchor(node_id: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "-" for c in node_id)


@bp.app_template_filter("node_anchor")
def node_anchor(node_id: str) -> str:
    return _anchor(node_id)


@bp.route("/drafts/<draft_id>/save", methods=["POST"])
def save(draft_id: str) -> Response:
    """Validated against the loader and the shapes with what the store holds; written and loaded, or
    the findings shown and nothing written."""
    draft = _own_draft(draft_id)
    if draft.meta.get("saved"):
        raise _review_problem(draft, 409, translate("importing.already_saved", g.lang))
    try:
        save_draft(draft, draft_review.plan_id(draft.text()), current_app.config["STORE"],
                   Path(current_app.config["DATA_FOLDER"]), g.lang)
    except DraftInvalid as invalid:
        raise _review_problem(draft, 400, translate("importing.invalid", g.lang), findings=invalid.messages) from None
    except DraftRefused as refused:
        raise _review_problem(draft, 400, translate("importing.save_refused", g.lang), str(refused)) from None
    _drafts().sweep()
    return redirect(url_for("importing.review", draft_id=draft.id), code=303)
