"""The fund office's overview: its figures are those of GET /fund and /fund/exposure."""

import re

import pytest

from creditsvc.infra.extensions import db
from tests.books import fund_with
from tests.factories import LoanFactory
from tests.today import TODAY


@pytest.fixture
def book(app):
    fund_with(db.session, 50_000_000)
    LoanFactory(principal_fen=3_000_000, town="渔湖镇", grade="AAA")
    LoanFactory(principal_fen=2_000_000, town="地都镇", bank_code="ABC", days_past_due=120)
    LoanFactory(principal_fen=1_500_000, town="地都镇", days_past_due=45)
    db.session.close()


def figures(page: str) -> dict:
    return dict(re.findall(r'id="fig-([a-z0-9]+)">([^<]+)<', page))


def yuan(value: str) -> str:
    return f"¥{float(value):,.2f}"


def pct(value: str | None) -> str:
    return "—" if value is None else f"{float(value) * 100:.2f}%"


def test_overview_figures_equal_the_apis(app, as_user, keys, book):
    page = as_user("fund").get("/fund")
    assert page.status_code == 200
    shown = figures(page.get_data(as_text=True))
    headers = keys.headers("fund_manager")
    fund = app.test_client().get("/api/v1/fund", headers=headers).get_json()
    exposure = app.test_client().get("/api/v1/fund/exposure", headers=headers).get_json()
    assert shown["balance"] == yuan(fund["balance"])
    assert shown["capital"] == yuan(fund["capital"])
    assert shown["outstanding"] == yuan(fund["guaranteed_outstanding"]) == "¥65,000.00"
    assert shown["cap"] == yuan(fund["leverage_cap"])
    assert shown["available"] == yuan(fund["available_capacity"])
    assert shown["npl"] == pct(fund["npl_ratio"])
    assert shown["par30"] == pct(exposure["par30"]) and shown["par90"] == pct(exposure["par90"])
    text = page.get_data(as_text=True)
    # Each breakdown table holds the API's groups, with the same amounts.
    for dim in ("town", "classification", "bank"):
        table = re.search(rf'id="breakdown-{dim}">(.*?)</table>', text, re.S).group(1)
        rows = re.findall(r'<td class="money">(\d+)</td><td class="money">([^<]+)</td>', table)
        api = [(str(g["loans"]), yuan(g["outstanding"])) for g in exposure["breakdown"][dim]]
        assert rows == api and rows
    assert "渔湖镇" in text and "地都镇" in text and "次级" in text
    assert "echarts.min.js" in text  # charts only on pages that have them


def test_suspension_is_explained(app, as_user):
    page = as_user("fund").get("/fund").get_data(as_text=True)
    assert "放贷已暂停" in page and "基金尚未注资" in page and "登记首笔注资后恢复" in page


def test_only_fund_managers_open_the_overview(as_user):
    for who in ("officer", "psbc", "admin"):
        assert as_user(who).get("/fund").status_code == 403
    assert as_user("fund").get("/").headers["Location"] == "/fund"


def test_ledger_filters_and_totals(as_user, book):
    client = as_user("fund")
    page = client.get("/fund/ledger").get_data(as_text=True)
    assert "注资" in page and "¥500,000.00" in page
    totals = re.search(r'id="ledger-totals">(.*?)</table>', page, re.S).group(1)
    assert "注资" in totals and "¥500,000.00" in totals
    none = client.get("/fund/ledger?kind=claim_draw").get_data(as_text=True)
    assert "没有符合条件的记录" in none
    bad = client.get("/fund/ledger?start=2026-13-01&kind=nonsense")
    assert bad.status_code == 200 and 'id="start-error"' in bad.get_data(as_text=True)
    assert 'id="kind-error"' in bad.get_data(as_text=True)


def test_policy_history_and_a_new_version(app, as_user, keys):
    client = as_user("fund")
    page = client.get("/fund/policy").get_data(as_text=True)
    assert "现行版本：第 1 版" in page and "不良率容忍度" in page
    form = client.get("/fund/policy/edit")
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.get_data(as_text=True)).group(1)
    current = dict(re.findall(r'name="([a-z_]+)"\s+type="(?:text|date)" value="([^"]*)"',
                              form.get_data(as_text=True)))
    bad = client.post("/fund/policy/edit", data={**current, "npl_tolerance": "five percent",
                                                 "csrf_token": token})
    assert bad.status_code == 422 and 'id="npl_tolerance-error"' in bad.get_data(as_text=True)
    unchanged = client.post("/fund/policy/edit", data={**current, "csrf_token": token})
    assert "没有修改任何数值" in unchanged.get_data(as_text=True)
    done = client.post("/fund/policy/edit", data={**current, "npl_tolerance": "0.04",
                                                  "note": "county finance bureau notice 7",
                                                  "csrf_token": token})
    assert done.status_code == 302
    api = app.test_client().get("/api/v1/policy", headers=keys.headers("fund_manager")).get_json()
    assert api["version"] == 2 and api["body"]["npl_tolerance"] == "0.04"
    history = client.get("/fund/policy").get_data(as_text=True)
    version2 = re.search(r'id="version-2">(.*?)</div></div>', history, re.S).group(1)
    assert "不良率容忍度" in version2 and "5.00%" in version2 and "4.00%" in version2


def test_stress_page_runs_and_shows_value_at_risk(as_user, book):
    client = as_user("fund")
    empty = client.get("/fund/stress").get_data(as_text=True)
    assert "stress-result" not in empty
    page = client.get("/fund/stress?paths=2000&seed=7&horizon=12").get_data(as_text=True)
    assert 'id="stress-var95"' in page and 'id="stress-var99"' in page and "data-chart" in page
    too_many = client.get("/fund/stress?paths=999999")
    assert too_many.status_code == 422 and 'id="paths-error"' in too_many.get_data(as_text=True)


def test_overview_trends_come_from_the_monthly_snapshots(as_user, book):

    from creditsvc.services.fund import snapshots
    from tests.conftest import ACTOR
    from tests.work import done

    before = as_user("fund").get("/fund").get_data(as_text=True)
    assert "尚无月度快照" in before
    done(db.session, snapshots.take, ACTOR, snapshots.month_of(TODAY), today=TODAY)
    db.session.close()
    after = as_user("fund").get("/fund").get_data(as_text=True)
    assert "月度快照，1 个月" in after and "PAR30" in after


def test_contribution_once_per_form_and_its_reversal(as_user, book):
    from sqlalchemy import select

    from models import Fund, JournalEntry

    client = as_user("fund")
    page = client.get("/fund/ledger").get_data(as_text=True)
    form = re.search(r'action="/fund/ledger/contributions"(.*?)</form>', page, re.S).group(1)
    tokens = dict(re.findall(r'name="(csrf_token|form_token)" value="([^"]+)"', form))
    bad = client.post("/fund/ledger/contributions", data={**tokens, "amount": "1e5",
                                                          "date": "2026-01-05"})
    assert bad.status_code == 422 and 'id="amount-error"' in bad.get_data(as_text=True)
    data = {**tokens, "amount": "100000.00", "date": "2026-01-05", "memo": "county top-up"}
    first, again = (client.post("/fund/ledger/contributions", data=data) for _ in range(2))
    assert first.status_code == again.status_code == 302
    db.session.expire_all()
    assert db.session.execute(select(Fund.capital_fen)).scalar_one() == 60_000_000
    entry = db.session.execute(select(JournalEntry).where(
        JournalEntry.memo == "county top-up")).scalar_one()
    reverse = client.get(f"/fund/ledger/{entry.id}/reverse")
    tokens = dict(re.findall(r'name="(csrf_token|form_token)" value="([^"]+)"',
                             reverse.get_data(as_text=True)))
    done = client.post(f"/fund/ledger/{entry.id}/reverse",
                       data={**tokens, "reason": "keyed twice", "effective_on": "2026-01-06"})
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.execute(select(Fund.capital_fen)).scalar_one() == 50_000_000
    assert "已冲正" in client.get("/fund/ledger").get_data(as_text=True)


def test_a_large_stress_test_runs_as_a_job(as_user, book):
    from sqlalchemy import select

    from creditsvc.jobs import worker
    from models import Job

    client = as_user("fund")
    page = client.get("/fund/stress").get_data(as_text=True)
    form = re.search(r'action="/fund/stress/job"(.*?)</form>', page, re.S).group(1)
    data = dict(re.findall(r'name="([a-z_]+)" value="([^"]+)"', form))
    data["paths"] = "3000"
    queued = client.post("/fund/stress/job", data=data)
    assert queued.status_code == 302 and "/jobs/" in queued.headers["Location"]
    assert worker.run(db.session, once=True, beat_seconds=0.2) == 1
    db.session.close()
    job_id = db.session.execute(select(Job.id)).scalar_one()
    done = client.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert "已完成" in done and "基金耗尽概率" in done and "VaR 95% / 99%" in done
