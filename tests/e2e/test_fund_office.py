"""The fund office in a browser: the overview's charts draw, at desktop and phone width."""

import pytest

from creditsvc.infra.extensions import db
from tests.books import fund_with
from tests.factories import LoanFactory
from tests.pages.people import make_person
from tests.today import TODAY

pytestmark = pytest.mark.e2e


@pytest.fixture
def book(app):
    fund_with(db.session, 50_000_000)
    for n, (town, dpd, bank) in enumerate([("渔湖镇", 0, "PSBC"), ("地都镇", 120, "ABC"),
                                           ("登岗镇", 45, "PSBC"), ("砲台镇", 0, "ABC")]):
        LoanFactory(principal_fen=1_000_000 * (n + 1), town=town, village=f"{town[:2]}村{n}",
                    bank_code=bank, days_past_due=dpd)
    db.session.close()


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_overview_draws_its_charts(visit, app, book, phone):
    person = make_person("fund-e2e", "fund_manager")
    tab = visit(phone=phone)
    tab.sign_in(person)
    tab.page.wait_for_url("**/fund")
    tab.page.wait_for_selector(".chart svg")
    # Every chart on the page drew an SVG (the trend needs ledger history: the top-up is one).
    charts = tab.page.locator(".chart")
    assert charts.count() >= 7
    assert tab.page.locator(".chart svg").count() == charts.count()
    assert tab.unlabelled_inputs() == []
    assert not tab.overflows()
    tab.shot("fund-overview" + ("-phone" if phone else ""))


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_ledger_policy_and_stress_pages(visit, app, book, phone):
    person = make_person("fund-e2e2", "fund_manager")
    tab = visit(phone=phone)
    tab.sign_in(person)
    suffix = "-phone" if phone else ""
    for path, name in (("/fund/ledger", "fund-ledger"), ("/fund/policy", "fund-policy"),
                       ("/fund/claims?status=paid", "fund-claims-paid"),
                       ("/fund/policy/edit", "fund-policy-edit"),
                       ("/fund/stress?paths=3000&horizon=12&seed=1", "fund-stress")):
        tab.go(path)
        if "stress" in path:
            tab.page.wait_for_selector(".chart svg")
        assert tab.unlabelled_inputs() == [], path
        assert not tab.overflows(), path
        tab.shot(name + suffix)


def test_fund_manager_approves_a_claim_and_the_overview_matches_the_api(visit, app, keys):
    """The fund office's journey: a claim approved in the browser, then the overview against the API."""
    import re

    from creditsvc.core.principal import Principal
    from creditsvc.services.fund import claims
    from scoring.policy import Policy
    from tests.work import done

    fund_with(db.session, 50_000_000)
    loan = LoanFactory(principal_fen=2_000_000, days_past_due=120)
    done(db.session, claims.file_claim, Principal(None, "psbc", "bank", "PSBC"), loan, Policy(), today=TODAY)
    headers = keys.headers("fund_manager")
    db.session.close()
    person = make_person("fund-e2e3", "fund_manager")
    tab = visit()
    tab.page.on("dialog", lambda dialog: dialog.accept())
    tab.sign_in(person)
    tab.go("/fund/claims")
    tab.shot("fund-claims")
    tab.page.locator("table a").first.click()
    tab.page.wait_for_selector("#breakdown-now")
    tab.shot("fund-claim")
    tab.page.click("text=批准并支付")
    tab.page.wait_for_selector("text=代偿已批准并支付。")
    assert tab.page.locator("#claim-status").inner_text() == "已支付"
    tab.go("/fund")
    shown = dict(re.findall(r'id="fig-([a-z0-9]+)">([^<]+)<', tab.page.content()))
    api = app.test_client().get("/api/v1/fund", headers=headers).get_json()
    exposure = app.test_client().get("/api/v1/fund/exposure", headers=headers).get_json()
    assert shown["balance"] == f"¥{float(api['balance']):,.2f}" == "¥484,000.00"
    assert shown["outstanding"] == f"¥{float(api['guaranteed_outstanding']):,.2f}" == "¥0.00"
    assert shown["npl"] == ("—" if api["npl_ratio"] is None else
                            f"{float(api['npl_ratio']) * 100:.2f}%")
    assert shown["par90"] == ("—" if exposure["par90"] is None else
                              f"{float(exposure['par90']) * 100:.2f}%")
