"""The fund office in a browser: the overview's charts draw, at desktop and phone width."""

import pytest

from creditsvc.infra.extensions import db
from tests.books import fund_with
from tests.factories import LoanFactory
from tests.pages.people import make_person

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
                       ("/fund/policy/edit", "fund-policy-edit"),
                       ("/fund/stress?paths=3000&horizon=12&seed=1", "fund-stress")):
        tab.go(path)
        if "stress" in path:
            tab.page.wait_for_selector(".chart svg")
        assert tab.unlabelled_inputs() == [], path
        assert not tab.overflows(), path
        tab.shot(name + suffix)
