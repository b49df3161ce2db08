"""Upload a plan, review the draft beside its source, edit it and save it into the data folder
(web/importing.py), through the Flask test client: a data folder copied without the hand-made
2019-22 annex, so that the imported annex is saved where the hand model would be."""
from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path

import docx
import pytest
from weasyprint import HTML

from loaders import graph_iri_for
from import_seeds import ANNEX_MAPPING, annex_xlsx
from tests.workshop_client import csrf_of
from web import create_app

ROOT = Path(__file__).resolve().parents[2]
ANNEX_FILE = Path("koebenhavn") / "integrationshandleplan-2019-22.yaml"
PLAN = "https://w3id.org/policygraph/id/doc/koebenhavn/integrationshandleplan-2019-22"
ANNEX_GRAPH = graph_iri_for(Path("data") / ANNEX_FILE, Path("data"))   # as `policygraph load data` names it
ASK_PLAN = f"ASK {{ GRAPH <{ANNEX_GRAPH}> {{ <{PLAN}> ?p ?o }} }}"


@pytest.fixture
def data(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(ROOT / "data", folder)
    (folder / ANNEX_FILE).unlink()
    return folder


@pytest.fixture
def app(store, data, tmp_path):
    return create_app({"STORE": store, "TESTING": True, "UPDATE_TOKEN": "tok", "QUERY_WORKERS": 0,
                       "WORKSHOP_LOG": str(tmp_path / "workshops.sqlite"), "DATA_FOLDER": str(data),
                       "DRAFTS_FOLDER": str(tmp_path / "drafts"), "IMPORT_MAX_BYTES": 300_000})


def small_docx() -> bytes:
    """A short plan as Word writes it: a title, a focus area heading, and a budget table."""
    document = docx.Document()
    document.add_heading("Handleplan for test 2020-21", level=0)
    document.add_heading("1. Fokusområde - Job", level=1)
    document.add_paragraph("Indledende tekst.")
    table = document.add_table(rows=2, cols=3)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text, table.rows[0].cells[2].text = "Indsats", "2020", "2021"
    table.rows[1].cells[0].paragraphs[0].add_run("Jobbro").bold = True
    table.rows[1].cells[1].text, table.rows[1].cells[2].text = "1.200", "1.300"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def annex_bytes(tmp_path: Path, **variant) -> bytes:
    return annex_xlsx(tmp_path / "annex.xlsx", **variant).read_bytes()


def upload(client, content: bytes, name: str, token: str = "tok", csrf: bool = True, lang: str = "da", **fields):
    page = client.get(f"/import?lang={lang}").get_data(as_text=True)   # the language is remembered in a cookie
    form = {"file": (io.BytesIO(content), name), "token": token, **fields}
    if csrf:
        form["csrf_token"] = csrf_of(page)
    return client.post("/import", data=form, content_type="multipart/form-data")


def uploaded(client, content: bytes, name: str, **fields) -> str:
    """The new draft's id."""
    response = upload(client, content, name, **fields)
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    return re.fullmatch(r"/drafts/([0-9a-f]{32})", response.headers["Location"]).group(1)


def review(client, draft_id: str) -> dict:
    response = client.get(f"/drafts/{draft_id}.json")
    assert response.status_code == 200
    return response.get_json()


def every(nodes: list[dict]):
    for node in nodes:
        yield node
        yield from every(node["children"])


def post(client, draft_id: str, what: str, lang: str = "da", **form):
    client.get(f"/drafts/{draft_id}?lang={lang}")
    token = csrf_of(client.get("/import").get_data(as_text=True))   # one CSRF token per session
    return client.post(f"/drafts/{draft_id}/{what}", data={"csrf_token": token, **form})


def drafts_kept(app) -> list[Path]:
    folder = Path(app.config["DRAFTS_FOLDER"])
    return [p for p in folder.iterdir()] if folder.exists() else []


# ------------------------------------------------------------------------------------------ upload
@pytest.mark.parametrize("lang, words", [("da", ["Importér en plan", "Skrivenøgle", "Kommune"]),
                                         ("en", ["Import a plan", "Write token", "Municipality"])])
def test_the_upload_form_in_both_languages(app, lang, words):
    page = app.test_client().get(f"/import?lang={lang}").get_data(as_text=True)
    assert all(word in page for word in words)
    assert 'enctype="multipart/form-data"' in page and 'name="csrf_token"' in page
    assert '<option value="org/koebenhavn"' in page


def test_a_word_document_becomes_a_draft_kept_beside_the_store_and_loaded_nowhere(app, store):
    before = len(store.dump())
    client = app.test_client()
    content = small_docx()
    draft_id = uploaded(client, content, "plan.docx")
    folder = Path(app.config["DRAFTS_FOLDER"]) / draft_id
    assert (folder / "upload" / "plan.docx").read_bytes() == content
    assert "# draft: confidence" in (folder / "draft.yaml").read_text(encoding="utf-8")
    assert len(store.dump()) == before
    data = review(client, draft_id)
    nodes = {n["label"]: n for n in every(data["nodes"])}
    assert set(nodes) >= {"Handleplan for test 2020-21", "Job", "Jobbro"}
    jobbro = nodes["Jobbro"]
    assert [b["year"] for b in jobbro["budget"]] == [2020, 2021] and jobbro["budget"][0]["amount"] == "1200"
    assert jobbro["place"].startswith("tabel 1, række 2") and jobbro["low"] and jobbro["confidence"] == 0.5
    assert data["blocks"][jobbro["block"]]["cells"][0].startswith("Jobbro")


def test_the_review_page_shows_the_tree_beside_the_source_with_places_and_confidence(app, tmp_path):
    client = app.test_client()
    draft_id = uploaded(client, annex_bytes(tmp_path), "annex.xlsx", municipality="org/koebenhavn", mapping=ANNEX_MAPPING)
    data = review(client, draft_id)
    assert data["target"] == ANNEX_FILE.as_posix() and data["plan"] == "doc/koebenhavn/integrationshandleplan-2019-22"
    nodes = list(every(data["nodes"]))
    initiative = next(n for n in nodes if n["label"] == "Flere lærepladser")
    assert initiative["place"] == "ark 'Tabel 1', celle B9" and initiative["sizes"] == ["60 (60 unge får lære-/elevplads)"]
    assert [(b["year"], b["amount"], b["unit"]) for b in initiative["budget"]] == [(y, "800", 1000) for y in range(2019, 2023)]
    unsure = [n for n in nodes if n["low"]]
    assert unsure and data["low"] == len(unsure)
    for lang, low_word, place, reason in (("da", "usikker", "ark &#39;Tabel 1&#39;, celle B9", "en linje i en budgettabel"),
                                          ("en", "unsure", "sheet &#39;Tabel 1&#39;, cell B9", "a line of a budget table")):
        page = client.get(f"/drafts/{draft_id}?lang={lang}").get_data(as_text=True)
        assert f'href="#block-{initiative["block"]}"' in page and f'id="block-{initiative["block"]}"' in page
        assert place in page and low_word in page and reason in page, lang
        other = "cell B9" if lang == "da" else "celle B9"
        assert other not in page and ("a line of a budget table" not in page if lang == "da" else "en linje i" not in page)
        assert client.get(f"/drafts/{draft_id}.json?lang={lang}").get_json()["nodes"][0]["place_text"]
        assert page.count('class="draft-node') == len(nodes)


# ------------------------------------------------------------------------------------------ edits
def test_editing_a_label_and_an_amount_accepting_and_dropping(app, tmp_path):
    client = app.test_client()
    draft_id = uploaded(client, annex_bytes(tmp_path), "annex.xlsx", municipality="org/koebenhavn", mapping=ANNEX_MAPPING)
    nodes = list(every(review(client, draft_id)["nodes"]))
    initiative = next(n for n in nodes if n["label"] == "Flere lærepladser")
    changed = post(client, draft_id, "edit", node=initiative["id"], action="change", label="Flere <b>lærepladser</b>",
                   **{"amount-2019": "1.350", "amount-2020": "1250"})
    assert changed.status_code == 303
    after = {n["id"]: n for n in every(review(client, draft_id)["nodes"])}
    assert after[initiative["id"]]["label"] == "Flere <b>lærepladser</b>"
    assert [b["amount"] for b in after[initiative["id"]]["budget"]] == ["1350", "1250", "800", "800"]
    page = client.get(f"/drafts/{draft_id}").get_data(as_text=True)
    assert "Flere &lt;b&gt;lærepladser&lt;/b&gt;" in page and "<b>lærepladser" not in page

    unsure = next(n for n in nodes if n["low"])
    assert post(client, draft_id, "edit", node=unsure["id"], action="accept").status_code == 303
    accepted = {n["id"]: n for n in every(review(client, draft_id)["nodes"])}[unsure["id"]]
    assert accepted["confidence"] is None and not accepted["low"]

    area = next(n for n in nodes if n["type"] == "FocusArea" and n["children"])
    assert post(client, draft_id, "edit", node=area["id"], action="drop").status_code == 303
    left = {n["id"] for n in every(review(client, draft_id)["nodes"])}
    assert area["id"] not in left and not left & {c["id"] for c in area["children"]}


def test_the_english_label_links_facts_and_the_plans_id_are_set_on_the_review_page(app, tmp_path):
    client = app.test_client()
    draft_id = uploaded(client, annex_bytes(tmp_path), "annex.xlsx", municipality="org/koebenhavn", mapping=ANNEX_MAPPING)
    data = review(client, draft_id)
    plan = data["plan"]
    initiative = next(n for n in every(data["nodes"]) if n["label"] == "Flere lærepladser")
    assert set(initiative["fields"]) >= {"targetGroups", "themes", "continues", "sizeGroup"}
    assert data["nodes"][0]["fields"]["status"] == "Draft"
    for lang, words in (("da", ["Navn på engelsk", "Målgrupper", "Viderefører", "Gem forbindelser", "Skift id"]),
                        ("en", ["Label in English", "Target groups", "Continues", "Save links", "Change id"])):
        page = client.get(f"/drafts/{draft_id}?lang={lang}").get_data(as_text=True)
        assert all(word in page for word in words), lang
    assert post(client, draft_id, "edit", node=initiative["id"], action="change", label="Flere lærepladser",
                label_en="More apprenticeships").status_code == 303
    assert post(client, draft_id, "edit", node=initiative["id"], action="set",
                **{"field-targetGroups": "tg/minoritetsunge tg/unge", "field-themes": "",
                   "field-continues": initiative["fields"]["continues"]}).status_code == 303
    assert post(client, draft_id, "edit", node=plan, action="set",
                **{"field-status": "Adopted", "field-adoptedInYear": "2018"}).status_code == 303
    renamed = post(client, draft_id, "edit", node=plan, action="rename", new_id=plan + "-ny")
    assert renamed.status_code == 303 and renamed.headers["Location"].endswith("#node-" + (plan + "-ny").replace("/", "-"))
    after = review(client, draft_id)
    assert after["plan"] == plan + "-ny" and after["target"] == "koebenhavn/integrationshandleplan-2019-22-ny.yaml"
    assert after["nodes"][0]["fields"]["status"] == "Adopted" and after["nodes"][0]["fields"]["adoptedInYear"] == "2018"
    moved = next(n for n in every(after["nodes"]) if n["label"] == "Flere lærepladser")
    assert moved["id"] == initiative["id"].replace(plan, plan + "-ny") and moved["label_en"] == "More apprenticeships"
    assert moved["fields"]["targetGroups"] == "tg/minoritetsunge tg/unge" and moved["fields"]["themes"] == ""
    refused = post(client, draft_id, "edit", node=plan + "-ny", action="set", **{"field-status": "Vedtaget"})
    assert refused.status_code == 400 and "no status" in refused.get_data(as_text=True)


@pytest.mark.parametrize("form, words", [({"action": "change", "amount-2019": "tre"}, "not an amount"),
                                         ({"action": "change", "label": "  "}, "cannot be empty"),
                                         ({"action": "drop", "node": "doc/koebenhavn/integrationshandleplan-2019-22"}, "cannot be dropped"),
                                         ({"action": "change", "node": "doc/none"}, "no node")])
def test_edits_that_make_no_sense_are_refused_and_the_draft_is_kept(app, tmp_path, form, words):
    client = app.test_client()
    draft_id = uploaded(client, annex_bytes(tmp_path), "annex.xlsx", municipality="org/koebenhavn", mapping=ANNEX_MAPPING)
    path = Path(app.config["DRAFTS_FOLDER"]) / draft_id / "draft.yaml"
    before = path.read_text(encoding="utf-8")
    node = next(n for n in every(review(client, draft_id)["nodes"]) if n["label"] == "Flere lærepladser")["id"]
    response = post(client, draft_id, "edit", **{"node": node, **form})
    assert response.status_code == 400 and words in response.get_data(as_text=True)
    assert 'role="alert"' in response.get_data(as_text=True)
    assert path.read_text(encoding="utf-8") == before


# ------------------------------------------------------------------------------------------ save
def test_saving_writes_the_file_into_the_data_folder_and_loads_it(app, store, data, tmp_path):
    client = app.test_client()
    draft_id = uploaded(client, annex_bytes(tmp_path), "annex.xlsx", municipality="org/koebenhavn", mapping=ANNEX_MAPPING)
    assert not store.query(ASK_PLAN)
    saved = post(client, draft_id, "save")
    assert saved.status_code == 303
    written = data / ANNEX_FILE
    assert "doc/koebenhavn/integrationshandleplan-2019-22/flere-laerepladser" in written.read_text(encoding="utf-8")
    assert store.query(ASK_PLAN)
    page = client.get(f"/drafts/{draft_id}?lang=en").get_data(as_text=True)
    assert "Saved into the data folder as koebenhavn/integrationshandleplan-2019-22.yaml" in page
    again = post(client, draft_id, "save")
    assert again.status_code == 409 and written.exists()


def test_a_draft_that_fails_validation_shows_the_findings_and_writes_nothing(app, store, data, tmp_path):
    client = app.test_client()
    draft_id = uploaded(client, annex_bytes(tmp_path), "annex.xlsx", municipality="org/koebenhavn", mapping=ANNEX_MAPPING)
    path = Path(app.config["DRAFTS_FOLDER"]) / draft_id / "draft.yaml"
    # a reviewer who edits the file by hand and loses a focus area's name
    path.write_text(re.sub(r"\n +label: \{da: Jobparate ledige\}", "", path.read_text(encoding="utf-8"), count=1),
                    encoding="utf-8")
    before = sorted(map(str, store.dump()))
    response = post(client, draft_id, "save", lang="en")
    text = response.get_data(as_text=True)
    assert response.status_code == 400 and "nothing was written" in text
    assert "The node has no Danish name" in text and "jobparate-ledige" in text
    assert not (data / ANNEX_FILE).exists() and sorted(map(str, store.dump())) == before
    assert not json.loads((path.parent / "meta.json").read_text())["saved"]


def test_a_file_already_in_the_data_folder_is_not_overwritten(app, data, tmp_path):
    client = app.test_client()
    draft_id = uploaded(client, annex_bytes(tmp_path), "annex.xlsx", municipality="org/koebenhavn", mapping=ANNEX_MAPPING)
    (data / ANNEX_FILE).write_text("# the strategist's own\n", encoding="utf-8")
    response = post(client, draft_id, "save", lang="en")
    assert response.status_code == 400 and "already in the data folder" in response.get_data(as_text=True)
    assert (data / ANNEX_FILE).read_text(encoding="utf-8") == "# the strategist's own\n"


# ------------------------------------------------------------------------------------------ bad input
def scanned_pdf(tmp_path: Path) -> bytes:
    path = tmp_path / "scan.pdf"
    HTML(string="<div style='width:300px;height:400px;background:#777'></div>").write_pdf(path)
    return path.read_bytes()


@pytest.mark.parametrize("make, name, fields, words", [
    (lambda tmp: b"PK\x03\x04 not really", "plan.odt", {}, "unknown format &#39;.odt&#39;"),
    (scanned_pdf, "scan.pdf", {}, "no text layer"),
    (lambda tmp: annex_bytes(tmp, text_amount="mange"), "annex.xlsx", {"mapping": ANNEX_MAPPING}, "mange"),
    (lambda tmp: b"Hello", "hello.txt", {"municipality": "org/nowhere"}, "The municipality is not in the data"),
])
def test_bad_input_is_one_message_beside_the_form_and_nothing_is_kept(app, tmp_path, make, name, fields, words):
    response = upload(app.test_client(), make(tmp_path), name, lang="en", **fields)
    text = response.get_data(as_text=True)
    assert response.status_code == 400 and words in text, text[:3000]
    assert 'role="alert"' in text and 'name="file"' in text and "Traceback" not in text
    assert str(tmp_path) not in text
    assert not [p for p in drafts_kept(app) if not p.name.startswith(".")] and not drafts_kept(app)


def test_a_file_over_the_limit_is_refused_clearly(app):
    response = upload(app.test_client(), b"x" * 400_000, "big.txt", lang="en")
    text = response.get_data(as_text=True)
    assert response.status_code == 413 and "too large" in text and 'name="file"' in text
    assert not drafts_kept(app)


# ------------------------------------------------------------------------------------------ access
def test_writes_need_the_token_and_the_csrf_token_and_a_draft_answers_only_its_uploader(app, tmp_path):
    client = app.test_client()
    assert upload(client, small_docx(), "plan.docx", token="wrong").status_code == 403
    assert upload(client, small_docx(), "plan.docx", csrf=False).status_code == 400
    assert not drafts_kept(app)
    read_only = create_app({**app.config, "UPDATE_TOKEN": None})
    refused = upload(read_only.test_client(), small_docx(), "plan.docx")
    assert refused.status_code == 403 and not drafts_kept(app)

    draft_id = uploaded(client, small_docx(), "plan.docx")
    other = app.test_client()
    assert other.get(f"/drafts/{draft_id}").status_code == 404
    assert other.get(f"/drafts/{draft_id}.json").status_code == 404
    token = csrf_of(other.get("/import").get_data(as_text=True))
    node = next(every(review(client, draft_id)["nodes"]))["id"]
    for what, form in (("edit", {"node": node, "action": "change", "label": "x"}), ("save", {})):
        assert other.post(f"/drafts/{draft_id}/{what}", data={"csrf_token": token, **form}).status_code == 404
        assert client.post(f"/drafts/{draft_id}/{what}", data=form).status_code == 400   # no CSRF token
    assert review(client, draft_id)["nodes"][0]["label"] != "x"


def test_the_days_a_draft_is_kept_come_from_the_environment_and_an_upload_sweeps_old_drafts(store, data, tmp_path,
                                                                                             monkeypatch):
    monkeypatch.setenv("POLICYGRAPH_DRAFT_DAYS", "3")
    app = create_app({"STORE": store, "TESTING": True, "UPDATE_TOKEN": "tok", "QUERY_WORKERS": 0,
                      "WORKSHOP_LOG": str(tmp_path / "workshops.sqlite"), "DATA_FOLDER": str(data),
                      "DRAFTS_FOLDER": str(tmp_path / "drafts")})
    assert app.config["DRAFT_DAYS"] == 3.0
    client = app.test_client()
    first = uploaded(client, small_docx(), "plan.docx")
    meta = Path(app.config["DRAFTS_FOLDER"]) / first / "meta.json"
    kept = json.loads(meta.read_text(encoding="utf-8"))
    meta.write_text(json.dumps({**kept, "created": kept["created"] - 4 * 86400}), encoding="utf-8")
    second = uploaded(client, small_docx(), "plan.docx")
    assert [p.name for p in drafts_kept(app)] == [second]
