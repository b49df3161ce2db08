"""A whole workshop in real browsers: a facilitator (laptop), a projector (1920 px) and three
participants on phones (375 px), each in a separate browser context with its own cookies. They join
by code, every activity is run, each sees the others' actions live, the facilitator accepts a link,
and the accepted link shows in the network and in the synergy matrix. Every role's page passes axe.
Screenshots for the README land in var/screenshots/workshop-*.png."""
from __future__ import annotations

import re
from urllib.parse import quote

import pytest

from tests.browser_support import OfflineGuard, PageProblems, axe_violations, describe_violations, screenshot, serve
from tests.pdf_text import pdf_text
from tests.workshop_client import KBH, SEED

LIVE = 10_000  # ms: "within about a second", with room for a loaded test machine


@pytest.fixture(scope="module")
def live_server(example_store, tmp_path_factory):
    from web import create_app

    app = create_app({"STORE": example_store, "UPDATE_TOKEN": "tok", "QUERY_WORKERS": 0,
                      "WORKSHOP_LOG": str(tmp_path_factory.mktemp("workshops") / "workshops.sqlite")})
    server = serve(app, threads=24)  # every open page holds one thread for its event stream
    yield server
    server.close()


class Person:
    """One browser context: its own cookies, the offline guard, script errors and axe findings."""

    def __init__(self, browser, server, width: int, height: int) -> None:
        self.context = browser.new_context(viewport={"width": width, "height": height}, service_workers="block")
        self.guard = OfflineGuard()
        self.guard.install(self.context)
        self.page = self.context.new_page()
        self.page.set_default_timeout(LIVE)
        self.problems = PageProblems()
        self.problems.watch(self.page)
        self.server = server
        self.findings: list[str] = []

    def open(self, path: str) -> None:
        response = self.page.goto(self.server.url(path))
        assert response is not None and response.ok, path

    def axe(self, label: str) -> None:
        violations = axe_violations(self.page)
        if violations:
            self.findings.append(describe_violations(label, violations))

    def sees(self, text: str, where: str = "#ws-live") -> None:
        self.page.locator(where).get_by_text(text, exact=False).first.wait_for(state="visible", timeout=LIVE)

    def close(self) -> list[str]:
        self.context.close()
        return [*self.findings, *self.guard.blocked, *self.problems.script_errors, *self.problems.csp_violations]


def _submit(person: Person, section: str, button: str) -> None:
    person.page.locator(section).get_by_role("button", name=button).first.click()


def test_a_whole_workshop_with_a_facilitator_a_projector_and_three_phones(browser, live_server):
    facilitator = Person(browser, live_server, 1280, 900)
    facilitator.open(f"/workshops/new?seed={quote(SEED)}&municipality={quote(KBH)}")
    facilitator.page.fill("#date", "2026-12-06")
    facilitator.page.fill("#facilitator", "Mette")
    facilitator.page.get_by_label("Handleplan til forebyggelse af social kontrol", exact=True).check()
    facilitator.page.fill("#token", "tok")
    facilitator.axe("new workshop")
    facilitator.page.get_by_role("button", name="Opret workshop").click()
    facilitator.page.wait_for_url(re.compile(r"/workshops/\w+/facilitate$"))
    workshop_id = facilitator.page.url.split("/workshops/")[1].split("/")[0]
    code = facilitator.page.locator(".ws-code").first.inner_text().strip()

    projector = Person(browser, live_server, 1920, 1080)
    projector.open(f"/workshops/{workshop_id}/projector")
    assert projector.page.locator(".ws-joinbox img").evaluate("img => img.naturalWidth") > 0, "the QR code does not show"
    phones = []
    for name in ("Amal", "Bent", "Cecilie"):
        phone = Person(browser, live_server, 375, 740)
        phone.open(f"/workshops/join?code={code}")
        phone.page.fill("#name", name)
        phone.page.select_option("#body", index=1)
        phone.page.get_by_role("button", name="Deltag").click()
        phone.page.wait_for_url(re.compile(rf"/workshops/{workshop_id}/$"))
        phones.append(phone)
    projector.sees("3 deltagere")
    facilitator.sees("Cecilie")

    # tables, then the persona exercise
    _submit(facilitator, ".ws-controls", "Fordel ved bordene")
    phones[0].sees("Dit bord:")
    facilitator.page.locator(".ws-agenda li").nth(0).get_by_role("button", name="Åbn").click()
    amal = phones[0]
    amal.sees("Vælg jeres persona")
    amal.page.get_by_label("Moren Amina").check()
    _submit(amal, ".ws-personas", "Vælg")
    amal.sees("Knyt til målgruppen")
    amal.page.locator(".ws-personas select[name=group]").select_option(label="Flygtninge")
    _submit(amal, ".ws-personas", "Knyt til målgruppen")
    amal.sees("Nås af")
    projector.sees("Moren Amina")
    amal.page.locator(".ws-personas textarea").fill("Sprog og job for mødre")
    _submit(amal, ".ws-personas", "Foreslå fokusområdet")
    projector.sees("Sprog og job for mødre")
    amal.axe("participant: personas")
    assert amal.page.evaluate("document.documentElement.scrollWidth") <= 375, "the phone page scrolls sideways"
    screenshot(amal.page, "workshop-phone-personas")

    # links: Bent proposes, Cecilie supports, everyone sees it, the facilitator accepts
    facilitator.page.locator(".ws-agenda li").nth(1).get_by_role("button", name="Åbn").click()
    bent, cecilie = phones[1], phones[2]
    bent.sees("Foreslå forbindelsen")
    bent.page.locator(".ws-links select[name=source]").select_option(label="Integrationshandleplan 2019-22")
    bent.page.locator(".ws-links select[name=relation]").select_option("synergy")
    bent.page.locator(".ws-links select[name=target]").select_option(label="Handleplan til forebyggelse af social kontrol")
    bent.page.locator(".ws-links textarea").fill("Samme familier")
    _submit(bent, ".ws-links", "Foreslå forbindelsen")
    cecilie.sees("Samme familier")
    _submit(cecilie, ".ws-links", "Støt")
    projector.sees("2 støtter")
    facilitator.sees("Samme familier")
    decide = facilitator.page.locator(".ws-links .ws-decide").first
    decide.locator("summary").click()
    decide.locator("select[name='follow_up.body']").select_option(index=1)
    decide.locator("input[name='follow_up.task']").fill("Afstem handleplanerne om social kontrol")
    decide.locator("input[name='follow_up.due']").fill("2027-03-01")
    decide.get_by_role("button", name="Godkend").click()
    bent.sees("godkendt")
    projector.sees("godkendt")

    # cross-impact: each table scores its share; the projector shows the matrix
    facilitator.page.locator(".ws-agenda li").nth(2).get_by_role("button", name="Åbn").click()
    amal.sees("hvordan påvirker det")
    amal.page.locator(".ws-cells select").first.select_option("2")
    amal.page.locator(".ws-cells").get_by_role("button", name="Gem").first.click()
    projector.sees("n=1", ".ws-matrix")
    projector.axe("projector: cross-impact")
    screenshot(projector.page, "workshop-projector-crossimpact")

    # priorities: dots, counted live
    facilitator.page.locator(".ws-agenda li").nth(3).get_by_role("button", name="Åbn").click()
    for phone in phones:
        phone.sees("prikker tilbage")
        phone.page.locator(".ws-priorities").get_by_role("button", name="Giv en prik").first.click()
    projector.page.locator(".ws-tally strong", has_text="3").first.wait_for(timeout=LIVE)
    cecilie.axe("participant: priorities")
    facilitator.axe("facilitator")
    screenshot(facilitator.page, "workshop-facilitator")
    screenshot(projector.page, "workshop-projector")

    # the accepted link is in the network and the synergy matrix, marked as the workshop's
    network = facilitator.page.request.get(live_server.url("/network.json?municipality=" + quote(KBH)))
    assert network.ok and any(edge.get("workshop") for edge in network.json()["edges"]), "no workshop link in the network"
    facilitator.open("/matrix?municipality=" + quote(KBH))
    assert facilitator.page.locator("main").get_by_text("◆").count() > 0, "the matrix does not mark the workshop's link"

    # after: the letters and the record, printed to PDF
    letters = facilitator.page.request.get(live_server.url(f"/workshops/{workshop_id}/letters.pdf"))
    assert letters.ok and letters.headers["content-type"] == "application/pdf"
    text = pdf_text(letters.body())
    assert "Afstem handleplanerne om social kontrol" in text and "senest 2027-03-01" in text
    record = pdf_text(facilitator.page.request.get(live_server.url(f"/workshops/{workshop_id}/record.pdf")).body())
    assert "Facilitator: Mette" in record and "(2027-03-01)" in record, record[:3000]
    assert all(name in record for name in ("Amal", "Bent", "Cecilie")), record[:3000]
    facilitator.open(f"/workshops/{workshop_id}/letters")
    facilitator.axe("letters")
    screenshot(facilitator.page, "workshop-letters")

    # the same in English, on the projector and a phone
    projector.open(f"/workshops/{workshop_id}/projector?lang=en")
    projector.sees("3 participants")
    projector.sees("reinforces")
    projector.axe("projector in English")
    screenshot(projector.page, "workshop-projector-en")
    bent.open(f"/workshops/{workshop_id}/?lang=en")
    bent.sees("You have 2 of 3 dots left")
    bent.axe("participant in English")

    problems = [p for person in (facilitator, projector, *phones) for p in person.close()]
    assert not problems, "\n".join(problems)
