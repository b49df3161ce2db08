"""Edit a plan in the browser, see its versions, one as it was on a date, and two compared
(web/editing.py), through the Flask test client over a copy of the example data folder."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from dulwich import porcelain

from tests.workshop_client import csrf_of
from web import create_app

PLAN = "doc/koebenhavn/integrationshandleplan-2019-22"
FILE = Path("koebenhavn") / "integrationshandleplan-2019-22.yaml"
EDIT = f"/plans/{PLAN}/edit"
PG = "https://w3id.org/policygraph/ontology#"
IRI = "https://w3id.org/policygraph/id/" + PLAN


def make_app(store, data, tmp_path, token: str | None = "tok"):
    return create_app({"STORE": store, "TESTING": True, "UPDATE_TOKEN": token, "QUERY_WORKERS": 0,
                       "WORKSHOP_LOG": str(tmp_path / "workshops.sqlite"), "DATA_FOLDER": str(data),
                       "DRAFTS_FOLDER": str(tmp_path / "drafts")})


@pytest.fixture
def app(store, data, tmp_path):
    return make_app(store, data, tmp_path)


def signed_in(app, name: str = "Anna", lang: str = "da"):
    client = app.test_client()
    page = client.get(f"{EDIT}?lang={lang}").get_data(as_text=True)
    answer = client.post(f"/plans/{PLAN}/signin", data={"csrf_token": csrf_of(page), "token": "tok", "name": name})
    assert answer.status_code == 303
    return client


def form_of(client) -> dict[str, str]:
    page = client.get(EDIT).get_data(as_text=True)
    return {"csrf_token": csrf_of(page), "version": re.search(r'name="version" value="(\w+)"', page).group(1)}


def post(client, **fields):
    return client.post(EDIT, data={**form_of(client), **fields})


def text(data: Path) -> str:
    return (data / FILE).read_text(encoding="utf-8")


def test_without_a_configured_token_the_page_says_writes_are_off_and_refuses_them(store, data, tmp_path):
    client = make_app(store, data, tmp_path, token=None).test_client()
    page = client.get(f"{EDIT}?lang=en")
    body = page.get_data(as_text=True)
    assert page.status_code == 200 and "Editing is switched off" in body and 'name="token"' not in body
    assert "Job-ready unemployed" in body and "Hands-on and continuous company-based initiative" in body
    before = text(data)
    token = csrf_of(client.get("/import").get_data(as_text=True))   # a valid CSRF token: writes are still off
    refused = client.post(EDIT, data={"csrf_token": token, "op": "budget", "node": f"{PLAN}/fritidsjob",
                                      "year": "2020", "amount": "1", "version": "x"})
    assert refused.status_code == 403 and text(data) == before
    signin = client.post(f"/plans/{PLAN}/signin", data={"csrf_token": token, "token": "", "name": "A"})
    assert signin.status_code == 403


def test_a_wrong_token_a_missing_csrf_token_or_no_sign_in_writes_nothing(app, data):
    client = app.test_client()
    page = client.get(f"{EDIT}?lang=da").get_data(as_text=True)
    assert 'id="signin-token"' in page and 'for="signin-token"' in page
    wrong = client.post(f"/plans/{PLAN}/signin", data={"csrf_token": csrf_of(page), "token": "nope", "name": "A"})
    assert wrong.status_code == 403 and "Skrivenøglen passer ikke" in wrong.get_data(as_text=True)
    before = text(data)
    fields = {"op": "budget", "node": f"{PLAN}/fritidsjob", "year": "2020", "amount": "1700", "version": "x"}
    assert client.post(EDIT, data={**fields, "csrf_token": csrf_of(page)}).status_code == 403   # not signed in
    writer = signed_in(app)
    assert writer.post(EDIT, data=fields).status_code == 400                                    # no CSRF token
    assert text(data) == before and not (data / ".versions").exists()


def test_changing_a_budget_saves_a_version_and_reloads_the_plan(app, data, store):
    client = signed_in(app, "Anna Berg")
    page = client.get(EDIT).get_data(as_text=True)
    assert "Du redigerer som Anna Berg" in page and 'for="budget-amount"' in page
    answer = post(client, op="budget", node=f"{PLAN}/fritidsjob", year="2020", amount="1.700")
    assert answer.status_code == 303 and "saved=" in answer.location
    assert "{year: 2020, amount: 1700, currency: DKK, unitMultiplier: 1000, perYear: true}" in text(data)
    kroner = store.query(f"""SELECT ?k WHERE {{ <{IRI}/fritidsjob> <{PG}hasBudgetAllocation> ?l .
        ?l <{PG}fiscalYear> ?y ; <{PG}amountDKK> ?k FILTER(STR(?y) = "2020") }}""")
    assert [row["k"].value for row in kroner] == ["1700000"]
    shown = client.get(answer.location).get_data(as_text=True)
    assert 'id="saved"' in shown and "1700" in shown
    versions = client.get(f"/plans/{PLAN}/versions.json").get_json()
    assert versions["kept_in"] == "folder"
    assert [(v["who"], v["what"]) for v in versions["versions"]] == [("Anna Berg", "Fritidsjob: budget 2020 sat til 1.700"),
                                                                    ("", "")]


def test_add_move_link_unlink_and_continuation_each_change_the_file(app, data):
    client = signed_in(app)
    area = f"{PLAN}/fokusomraade-unge-i-job"
    assert post(client, op="add", area=area, label_da="Nye fritidsjob", label_en="New jobs", place="Side 2",
                quote="").status_code == 303
    assert f"initiatives: [{PLAN}/fritidsjob, {PLAN}/nye-fritidsjob]" in text(data)
    assert post(client, op="move", node=f"{PLAN}/nye-fritidsjob", area=f"{PLAN}/fokusomraade-unge-i-uddannelse").status_code == 303
    assert f"initiatives: [{PLAN}/flere-laerepladser, {PLAN}/nye-fritidsjob]" in text(data)
    assert post(client, op="link", relation="targetGroups", node=f"{PLAN}/nye-fritidsjob", target="tg/unge").status_code == 303
    assert post(client, op="link", relation="responsible", node=f"{PLAN}/nye-fritidsjob", target="org/koebenhavn/biu").status_code == 303
    assert post(client, op="link", relation="supports", node=f"{PLAN}/nye-fritidsjob",
                target="doc/koebenhavn/integrationspolitik-2019-22/pejlemaerke-2-uddannelse").status_code == 303
    assert post(client, op="continuation", relation="continues", node=f"{PLAN}/nye-fritidsjob",
                target="doc/koebenhavn/integrationshandleplan-2017-18/bekaempelse-af-social-kontrol").status_code == 303
    added = text(data).split(f"id: {PLAN}/nye-fritidsjob\n", 1)[1]
    for line in ("targetGroups: [tg/unge]", "responsible: [org/koebenhavn/biu]",
                 "supports: [doc/koebenhavn/integrationspolitik-2019-22/pejlemaerke-2-uddannelse]",
                 "continues: doc/koebenhavn/integrationshandleplan-2017-18/bekaempelse-af-social-kontrol"):
        assert line in added
    assert post(client, op="unlink", relation="responsible", node=f"{PLAN}/nye-fritidsjob",
                target="org/koebenhavn/biu").status_code == 303
    assert "responsible: [org/koebenhavn/biu]" not in text(data)
    assert post(client, op="continuation", relation="replaces", node=PLAN, target="").status_code == 303
    assert "\nreplaces:" not in text(data)
    assert len(client.get(f"/plans/{PLAN}/versions.json").get_json()["versions"]) == 9


def test_the_form_names_every_choice_by_its_label_never_by_iri(app):
    page = signed_in(app, lang="en").get(EDIT).get_data(as_text=True)
    assert '<option value="tg/jobparate-ledige">' in page and '<option value="org/koebenhavn/biu">' in page
    visible = re.sub(r"<[^>]+>", " ", page)
    assert "https://w3id.org" not in visible and "tg/jobparate-ledige" not in visible
    for field in re.findall(r'<(?:input|select|textarea)[^>]*\bid="([^"]+)"', page):
        assert f'for="{field}"' in page, f"no label for {field}"


def test_a_stale_version_is_refused_with_409_and_a_link_to_compare(app, data):
    anna, bo = signed_in(app, "Anna"), signed_in(app, "Bo")
    bo_form = form_of(bo)                                     # Bo opens the plan ...
    assert post(anna, op="budget", node=f"{PLAN}/fritidsjob", year="2020", amount="1700").status_code == 303
    before = text(data)                                       # ... Anna saves first
    refused = bo.post(EDIT, data={**bo_form, "op": "budget", "node": f"{PLAN}/fritidsjob", "year": "2020",
                                  "amount": "1900"})
    body = refused.get_data(as_text=True)
    assert refused.status_code == 409 and text(data) == before
    assert "Planen er ændret, siden du åbnede den" in body and "Fritidsjob: budget 2020 sat til 1900" in body
    compare = re.search(r'href="([^"]+)" id="conflict-compare"', body).group(1).replace("&amp;", "&")
    shown = bo.get(compare)
    assert shown.status_code == 200 and "amount: 1700" in shown.get_data(as_text=True)
    assert [v["who"] for v in bo.get(f"/plans/{PLAN}/versions.json").get_json()["versions"]] == ["Anna", ""]


def test_an_invalid_edit_writes_nothing_and_ties_the_finding_to_its_form(app, data):
    client = signed_in(app)
    before = text(data)
    answer = post(client, op="link", relation="responsible", node=f"{PLAN}/fritidsjob", target="tg/unge")
    body = answer.get_data(as_text=True)
    assert answer.status_code == 400 and text(data) == before and not (data / ".versions").exists()
    assert 'id="error-link_responsible"' in body and "ikke er en organisation" in body
    assert 'aria-describedby="error-link_responsible"' in body
    amount = post(client, op="budget", node=f"{PLAN}/fritidsjob", year="2020", amount="mange")
    shown = amount.get_data(as_text=True)
    assert amount.status_code == 400 and "mange er ikke et beløb" in shown
    assert f'<option value="{PLAN}/fritidsjob" selected>' in shown and 'name="amount" value="mange"' in shown  # kept
    unknown = post(client, op="budget", node="", year="2020", amount="5")
    assert unknown.status_code == 400 and "Vælg først" in unknown.get_data(as_text=True)
    assert text(data) == before


def test_the_plan_as_it_was_on_a_date_and_two_versions_compared(app, data):
    client = signed_in(app, lang="en")
    assert post(client, op="budget", node=f"{PLAN}/fritidsjob", year="2020", amount="1700").status_code == 303
    versions = client.get(f"/plans/{PLAN}/versions.json").get_json()["versions"]
    saved, original = versions[0], versions[1]
    today = saved["when"][:10]
    as_of = client.get(f"/plans/{PLAN}/versions.json?as_of={today}").get_json()
    assert as_of["in_force"]["id"] == saved["id"] and "amount: 1700" in as_of["text"]
    early = client.get(f"/plans/{PLAN}/versions.json?as_of=2019-01-01").get_json()
    assert early["in_force"]["id"] == original["id"] and "amount: 1700" not in early["text"]
    page = client.get(f"/plans/{PLAN}/versions?as_of=2019-01-01").get_data(as_text=True)
    assert "In force on 2019-01-01" in page and "Leisure-time jobs" in page
    assert client.get(f"/plans/{PLAN}/versions?as_of=2019-13-01").status_code == 400
    one = client.get(f"/plans/{PLAN}/versions/{original['id']}.json").get_json()
    assert "amount: 1600" in one["text"].split("/fritidsjob", 1)[1]
    assert client.get(f"/plans/{PLAN}/versions/no-such-version").status_code == 404
    compared = client.get(f"/plans/{PLAN}/compare.json?from={original['id']}&to={saved['id']}").get_json()
    assert compared["changes"]["changed"] == [f"{PLAN}/fritidsjob"] and compared["changes"]["added"] == []
    assert any(line.startswith("+") and "amount: 1700" in line for line in compared["diff"])
    page = client.get(f"/plans/{PLAN}/compare?to={saved['id']}").get_data(as_text=True)   # from: the one before
    assert "<ins>+" in page and "Leisure-time jobs" in page


def test_the_plan_page_links_to_edit_and_versions_and_other_pages_do_not(app):
    client = app.test_client()
    plan = client.get(f"/id/{PLAN}?lang=en").get_data(as_text=True)
    assert f'href="/plans/{PLAN}/edit" id="edit-plan"' in plan and f'href="/plans/{PLAN}/versions"' in plan
    assert 'id="edit-plan"' not in client.get("/id/tg/jobparate-ledige").get_data(as_text=True)
    assert client.get("/plans/doc/koebenhavn/no-such-plan/edit").status_code == 404
    assert client.get("/plans/org/koebenhavn/versions.json").status_code == 404


def test_in_a_git_repository_a_save_is_a_commit_by_the_editor(app, data):
    repo = porcelain.init(str(data.parent))
    porcelain.add(repo, paths=[str(data / FILE)])
    porcelain.commit(repo, message=b"seed", author=b"Seed <s@example.org>", committer=b"Seed <s@example.org>")
    repo.close()
    client = signed_in(app, "Anna")
    assert post(client, op="budget", node=f"{PLAN}/fritidsjob", year="2020", amount="1700").status_code == 303
    versions = client.get(f"/plans/{PLAN}/versions.json").get_json()
    assert versions["kept_in"] == "git" and [v["who"] for v in versions["versions"]] == ["Anna", "Seed"]
    assert not (data / ".versions").exists()


def test_hostile_form_values_are_refused_in_words_and_write_nothing(app, data):
    client = signed_in(app)
    before = text(data)
    for fields in ({"op": "link", "relation": "targetGroups", "node": "a b", "target": "<x"},
                   {"op": "link", "relation": "targetGroups", "node": f"{PLAN}/fritidsjob", "target": "javascript:alert(1)"},
                   {"op": "unlink", "relation": "supports", "node": f"{PLAN}/fritidsjob", "target": "x" * 5000},
                   {"op": "move", "node": f"{PLAN}/fritidsjob", "area": "\x00"},
                   {"op": "continuation", "relation": "title", "node": PLAN, "target": "doc/x"},
                   {"op": "drop", "node": PLAN}):
        answer = post(client, **fields)
        assert answer.status_code == 400, fields
        assert 'role="alert"' in answer.get_data(as_text=True)
    assert text(data) == before


def test_a_file_broken_by_hand_after_loading_is_a_clear_refusal_not_a_crash(app, data):
    kept = text(data)
    # still the plan's file (its id reads), but a list is a number now
    (data / FILE).write_text(kept.replace("\nfocusAreas:", "\nfocusAreas: 7\nunused:", 1), encoding="utf-8")
    client = app.test_client()
    for url in (EDIT, f"/plans/{PLAN}/versions"):
        page = client.get(url + "?lang=en")
        assert page.status_code == 409, url
        assert "can no longer be read" in page.get_data(as_text=True)
    assert client.get(EDIT + "?lang=da").status_code == 409
