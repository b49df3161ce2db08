"""Edit a plan in a real browser (Chromium through Playwright): open the 2019-22 action plan's edit page,
sign in, change a budget, save, and see the new version in the list and its change compared. Every
page passes axe in Danish and English, and the edit page is usable at 375 px."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.browser_support import WatchedSession, serve

ROOT = Path(__file__).resolve().parents[2]
PLAN = "doc/koebenhavn/integrationshandleplan-2019-22"
FILE = Path("koebenhavn") / "integrationshandleplan-2019-22.yaml"


@pytest.fixture(scope="module")
def setting(tmp_path_factory):
    """A copy of the example data folder, a store loaded from it, and the app over both."""
    from graph.pipeline.load import load_into_store
    from graph.store import OxigraphStore
    from web import create_app

    folder = tmp_path_factory.mktemp("edit-browser")
    data = folder / "data"
    shutil.copytree(ROOT / "data", data)
    store = OxigraphStore()
    load_into_store(store, [data], validate=False)
    app = create_app({"STORE": store, "UPDATE_TOKEN": "tok", "QUERY_WORKERS": 0, "DATA_FOLDER": str(data),
                      "DRAFTS_FOLDER": str(folder / "drafts"), "WORKSHOP_LOG": str(folder / "workshops.sqlite")})
    server = serve(app)
    yield {"server": server, "data": data}
    server.close()
    store.close()


def test_change_a_budget_save_and_see_the_version_and_its_change(browser, setting):
    session = WatchedSession(browser)
    page, axe = session.page, session.axe

    server = setting["server"]
    page.goto(server.url(f"/id/{PLAN}?lang=en"))
    page.locator("#edit-plan").click()
    page.wait_for_url(re.compile(r"/edit$"))
    axe("edit, signed out (en)")
    page.goto(server.url(f"/plans/{PLAN}/edit?lang=da"))     # the language is remembered: Danish from here
    axe("edit, signed out (da)")
    page.fill("#signin-token", "tok")
    page.fill("#signin-name", "Anna Berg")
    page.get_by_role("button", name="Log ind").click()
    page.get_by_text("Du redigerer som Anna Berg").wait_for()
    axe("edit, signed in (da)")

    panel = page.locator("#panel-budget")
    panel.get_by_label("Indsats").select_option(label="Fritidsjob")
    panel.get_by_label("År").fill("2020")
    panel.get_by_label("Beløb").fill("1.700")
    panel.get_by_role("button", name="Gem").click()
    page.locator("#saved").wait_for()
    assert "amount: 1700" in (setting["data"] / FILE).read_text(encoding="utf-8")
    axe("edit, saved (da)")
    page.set_viewport_size({"width": 375, "height": 740})
    axe("edit at 375 px (da)")
    overflow = page.evaluate("document.scrollingElement.scrollWidth - document.scrollingElement.clientWidth")
    assert overflow <= 1, f"the edit page scrolls sideways at 375 px by {overflow}px"
    page.set_viewport_size({"width": 1280, "height": 900})

    page.locator("#saved").get_by_role("link", name="Se ændringen").click()
    page.wait_for_url(re.compile(r"/compare"))
    diff = page.locator(".edit-diff").inner_text()
    assert "-      - {year: 2020, amount: 1600" in diff and "+      - {year: 2020, amount: 1700" in diff
    assert page.locator("#nodes-changed + ul").inner_text().strip() == "Fritidsjob"
    axe("compare (da)")

    page.goto(server.url(f"/plans/{PLAN}/versions?lang=en"))
    rows = page.locator(".edit-versions tbody tr")
    assert rows.count() == 2
    assert "Anna Berg" in rows.first.inner_text() and "Fritidsjob: budget 2020 sat til 1.700" in rows.first.inner_text()
    axe("versions (en)")
    page.fill("#as-of", "2019-06-01")
    page.get_by_role("button", name="Show", exact=True).click()
    page.locator("#in-force").wait_for()
    assert "In force on 2019-06-01" in page.locator("#in-force").inner_text()
    axe("as of a date (en)")
    page.goto(server.url(f"/plans/{PLAN}/compare?lang=en"))
    axe("compare (en)")
    page.goto(server.url(f"/plans/{PLAN}/versions?lang=da"))
    axe("versions (da)")
    page.locator(".edit-versions tbody tr").first.get_by_role("link", name=re.compile("^Vis versionen")).click()
    page.wait_for_url(re.compile(r"/versions/[0-9TZ.]+$"))
    assert "Planen som den var" in page.locator("h1").inner_text()
    axe("one version (da)")
    session.close_and_check()
