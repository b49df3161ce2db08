"""Bring your own plan in a real browser (Chromium through Playwright): the 2019-22 annex as XLSX with
its spreadsheet mapping is uploaded, reviewed beside its source (a node's place highlighted in the
source pane), corrected and saved into the data folder, then shown as a plan of the store. The upload
and review pages pass axe in Danish and English, and the review page is usable at 375 px."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from import_seeds import ANNEX_MAPPING, annex_xlsx
from tests.browser_support import WatchedSession, serve

ROOT = Path(__file__).resolve().parents[2]
ANNEX_FILE = Path("koebenhavn") / "integrationshandleplan-2019-22.yaml"
NODE = "doc-koebenhavn-integrationshandleplan-2019-22-flere-laerepladser"   # the node's anchor: its id


@pytest.fixture(scope="module")
def setting(tmp_path_factory):
    """A data folder without the hand-made annex, a store loaded from it, and the app over both."""
    from graph.pipeline.load import load_into_store
    from graph.store import OxigraphStore
    from web import create_app

    folder = tmp_path_factory.mktemp("import-browser")
    data = folder / "data"
    shutil.copytree(ROOT / "data", data)
    (data / ANNEX_FILE).unlink()
    store = OxigraphStore()
    load_into_store(store, [data], validate=False)
    app = create_app({"STORE": store, "UPDATE_TOKEN": "tok", "QUERY_WORKERS": 0, "DATA_FOLDER": str(data),
                      "DRAFTS_FOLDER": str(folder / "drafts"), "WORKSHOP_LOG": str(folder / "workshops.sqlite")})
    server = serve(app)
    yield {"server": server, "data": data, "annex": annex_xlsx(folder / "annex.xlsx")}
    server.close()
    store.close()


def test_upload_review_correct_and_save_the_annex_as_a_spreadsheet(browser, setting):
    session = WatchedSession(browser)
    page, axe = session.page, session.axe

    server = setting["server"]
    for lang in ("en", "da"):   # the last one chosen is remembered: the upload happens in Danish
        page.goto(server.url(f"/import?lang={lang}"))
        axe(f"upload ({lang})")
    page.set_input_files("#file", str(setting["annex"]))
    page.select_option("#municipality", "org/koebenhavn")
    page.fill("#mapping", ANNEX_MAPPING)
    page.fill("#token", "tok")
    page.get_by_role("button", name="Lav udkast").click()
    page.wait_for_url(re.compile(r"/drafts/[0-9a-f]{32}$"))
    draft_url = page.url
    axe("review (da)")

    node = page.locator(f"#node-{NODE}")
    assert node.locator(".draft-label").first.inner_text() == "Flere lærepladser"
    node.locator(".draft-place a").first.click()
    target = page.evaluate("location.hash")
    assert re.fullmatch(r"#block-\d+", target)
    block = page.locator(target)
    assert "Flere lærepladser" in block.inner_text()
    assert page.evaluate(f"getComputedStyle(document.querySelector('{target}')).backgroundColor") not in ("rgba(0, 0, 0, 0)", "transparent")

    node.locator("summary").first.click()
    node.locator("input[name=label]").first.fill("Flere lære- og elevpladser")
    node.locator("input[name='amount-2019']").first.fill("850")
    node.get_by_role("button", name="Gem ændring").first.click()
    page.wait_for_url(re.compile(r"#node-"))
    changed = page.locator(f"#node-{NODE}")
    assert changed.locator(".draft-label").first.inner_text() == "Flere lære- og elevpladser"
    assert "850" in changed.locator(".draft-budget").first.inner_text()

    page.goto(draft_url + "?lang=en")
    axe("review (en)")
    page.set_viewport_size({"width": 375, "height": 740})
    axe("review at 375 px (en)")
    overflow = page.evaluate("document.scrollingElement.scrollWidth - document.scrollingElement.clientWidth")
    assert overflow <= 1, f"the review page scrolls sideways at 375 px by {overflow}px"
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("button", name="Check and save").click()
    page.locator("#draft-saved").wait_for()
    written = (setting["data"] / ANNEX_FILE).read_text(encoding="utf-8")
    assert "Flere lære- og elevpladser" in written and "amount: 850" in written
    axe("saved (en)")
    page.get_by_role("link", name="See the plan").click()
    page.wait_for_load_state()
    assert "Integrationshandleplan 2019-22" in page.locator("h1").inner_text()
    assert page.get_by_text("Flere lære- og elevpladser").count() >= 1
    session.close_and_check()
