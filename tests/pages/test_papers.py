"""Papers to print: each PDF's text checked figure by figure against the API, its number, date,
hash, footer and fonts, the audit of its printing, who may print it, and printing in clear."""

import re
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from creditsvc.infra.extensions import db
from creditsvc.services.access import areas
from creditsvc.services.campaign import campaigns, committee, notice, rate
from creditsvc.services.campaign.committee import View
from creditsvc.services.papers import documents
from creditsvc.services.papers.render import fingerprint
from models import AuditEvent, Repayment, StatusReport
from tests.books import user_id
from tests.campaign_books import CreditLineFactory
from tests.campaign_scenario import fake_rate, surveyed
from tests.conftest import ACTOR
from tests.factories import ApplicationFactory
from tests.pages.bank_books import ASSESSMENT, disbursed, funded, loan, paid_claim
from tests.pages.household_files import open_file, principal
from tests.pages.papers_books import (  # noqa: F401 (_quiet_fonts: a fixture)
    NEEDS_POPPLER,
    _quiet_fonts,
    date_of,
    flat,
    fonts_of,
    money,
    pages_of,
    print_events,
    printed,
)
from tests.pages.people import csrf_of
from tests.today import TODAY
from tests.work import done

pytestmark = NEEDS_POPPLER
YEAR = TODAY.year


def api_officer(keys, client) -> dict:
    """An officer's API headers, working in every town (the campaign API reads the area)."""
    headers = keys.headers("officer", name="officer-api")
    done(db.session, areas.assign, ACTOR, user_id(db.session, "officer-api"),
         [areas.Area.parse(t) for t in ("渔湖镇", "地都镇", "砲台镇", "登岗镇")])
    return headers


def lined_household(people) -> str:
    """A household file opened by the officer (陈建国) with an AA line granted 30 days ago."""
    household_id = open_file(people["officer"])
    CreditLineFactory(household_id=household_id, grade="AA")
    db.session.commit()
    db.session.close()
    return household_id


def test_the_credit_line_notice_prints_the_line_as_the_api_gives_it(as_user, people, keys,
                                                                   client):
    household_id = lined_household(people)
    headers = api_officer(keys, client)
    h = client.get(f"/api/v1/households/{household_id}", headers=headers).get_json()
    line = client.get(f"/api/v1/households/{household_id}/credit-lines", headers=headers).get_json()[0]
    officer = as_user("officer")
    response = officer.get(f"/papers/households/{household_id}/credit-line-notice")
    text, name = printed(response)
    number = response.headers["X-Paper-Number"]
    assert number == f"TZ-{YEAR}-000001" and name == f"授信通知书-{number}.pdf"
    for part in (h["head_name"], h["id_number"], h["town"], h["village"], line["grade"],
                 money(line["line"]), date_of(line["valid_from"]), date_of(line["valid_until"]),
                 "可用授信额度" + money(line["line"]), number, date_of(TODAY.isoformat()),
                 response.headers["X-Paper-SHA256"], "第1页/共1页", "扶贫小额信贷授信通知书"):
        assert flat(part) in text, part
    assert "陈建国" not in text and h["head_name"] == "陈**"
    # The hash is the SHA-256 of the figures the paper prints (their canonical JSON).
    figures = documents.credit_line_notice(db.session, household_id, TODAY)
    assert response.headers["X-Paper-SHA256"] == fingerprint(figures)
    assert figures["household"]["head_name"] == h["head_name"]
    event = print_events()[-1]
    assert (event.action, event.target_type, event.target_id, event.actor_name) == (
        "paper.print", "household", household_id, "officer-li")
    assert event.detail == {"kind": "credit_line_notice", "number": number, "date": TODAY.isoformat(),
                            "sha256": response.headers["X-Paper-SHA256"], "revealed": False}
    # The same figures hash the same; the next paper takes the next number.
    again = officer.get(f"/papers/households/{household_id}/credit-line-notice")
    assert again.headers["X-Paper-SHA256"] == response.headers["X-Paper-SHA256"]
    assert again.headers["X-Paper-Number"] == f"TZ-{YEAR}-000002"
    # Fonts are embedded (subsets of Noto CJK), none left to the reader's machine.
    fonts = fonts_of(response.get_data())
    assert fonts and all("Noto" in row[0] and row[-5] == "yes" for row in fonts), fonts


def test_a_notice_needs_a_line_that_holds_and_an_officer(as_user, people):
    bare = open_file(people["officer"])
    refused = as_user("officer").get(f"/papers/households/{bare}/credit-line-notice")
    assert refused.status_code == 409 and "没有有效的授信" in refused.get_data(as_text=True)
    household_id = lined_household(people)
    assert as_user("psbc").get(f"/papers/households/{household_id}/credit-line-notice").status_code == 403
    assert print_events() == []


def test_printing_in_clear_takes_a_reason_and_audits_it(as_user, people, keys, client):
    household_id = lined_household(people)
    officer = as_user("officer")
    url = f"/papers/households/{household_id}/credit-line-notice"
    form = officer.get(url + "/reveal")
    assert form.status_code == 200 and "查看原因" in form.get_data(as_text=True)
    token = csrf_of(form)
    short = officer.post(url, data={"csrf_token": token, "reason": "看看"})
    assert short.status_code == 422 and "至少" in short.get_data(as_text=True)
    assert print_events() == []
    reason = "与银行核对贷款合同中的身份信息"
    response = officer.post(url, data={"csrf_token": token, "reason": reason})
    text, _ = printed(response)
    clear = client.post(f"/api/v1/households/{household_id}/reveal", json={"reason": reason},
                        headers=api_officer(keys, client)).get_json()
    assert flat(clear["head_name"]) in text and clear["id_number"] in text
    assert clear["head_name"] == "陈建国"
    db.session.close()
    reveal = db.session.execute(select(AuditEvent).where(
        AuditEvent.action == "household.reveal").order_by(AuditEvent.seq)).scalars().first()
    assert reveal.detail == {"reason": reason} and reveal.actor_name == "officer-li"
    assert print_events()[-1].detail["revealed"] is True


def test_the_recommendation_prints_the_assessment_as_the_application_page_shows_it(
        as_user, people, keys, client):
    household_id = open_file(people["officer"])
    assessment = {**ASSESSMENT, "reasons": [
        {"code": "R01", "feature": "per_capita_income", "text_zh": "人均纯收入偏低",
         "text_en": "low income", "shortfall": 3.5}], "score": 76.25, "grade": "AA"}
    app_id = ApplicationFactory(household_id=household_id, status="approved", decision="approved",
                                grade="AA", score=76.25, assessment=assessment,
                                amount_fen=2_500_000, approved_amount_fen=2_000_000).id
    declined = ApplicationFactory(status="declined", decision="declined").id
    db.session.commit()
    api = client.get(f"/api/v1/applications/{app_id}", headers=keys.headers("officer")).get_json()
    officer = as_user("officer")
    page = officer.get(f"/applications/{app_id}").get_data(as_text=True)
    reasons = re.findall(r"<li>([^<]+)</li>", page[page.index('class="mb-0 reasons"'):])[:1]
    assert reasons
    response = officer.get(f"/papers/applications/{app_id}/recommendation")
    text, name = printed(response)
    assert name == f"贷款推荐表-TJ-{YEAR}-000001.pdf"
    for part in (api["number"], money(api["amount"]), money(api["approved_amount"]),
                 f"{api['term_months']}个月", api["grade"], f"{api['score']:.2f}分",
                 api["borrower"]["name"], api["town"], api["village"], "中国邮政储蓄银行",
                 money(api["assessment"]["limit"]), *reasons, "种植"):
        assert flat(part) in text, part
    # The bank it is routed to prints it too; the other bank cannot see it.
    assert as_user("psbc").get(f"/papers/applications/{app_id}/recommendation").status_code == 200
    assert as_user("abc").get(f"/papers/applications/{app_id}/recommendation").status_code == 404
    refused = officer.get(f"/papers/applications/{declined}/recommendation")
    assert refused.status_code == 409 and "未获核准" in refused.get_data(as_text=True)


def notice_of(people, households: int) -> str:
    """A campaign of 东湖村 in 公示 with HOUSEHOLDS rated AA and agreed by the committee."""
    officer = principal(people["officer"])
    surveyed(db.session, households)
    campaign = done(db.session, campaigns.open_campaign, officer, town="渔湖镇", village="东湖村",
                    today=TODAY)
    done(db.session, rate.rate_campaign, officer, campaign.id, today=TODAY, rate=fake_rate())
    done(db.session, committee.record_views, officer, campaign.id,
         [View(e.id, "agree") for e, _, _ in committee.entries(db.session, campaign.id)])
    done(db.session, notice.start_notice, officer, campaign.id, TODAY)
    campaign_id = campaign.id
    db.session.close()
    return campaign_id


def test_the_notice_list_of_60_households_numbers_every_page(as_user, people, keys, client):
    campaign_id = notice_of(people, 60)
    headers = api_officer(keys, client)
    c = client.get(f"/api/v1/campaigns/{campaign_id}", headers=headers).get_json()
    entries = client.get(f"/api/v1/campaigns/{campaign_id}/entries", headers=headers).get_json()
    listed = [e for e in entries if Decimal(e["proposed_line"]) > 0]
    assert len(listed) == 60
    response = as_user("officer").get(f"/papers/campaigns/{campaign_id}/notice")
    text, name = printed(response)
    assert name == f"评级授信公示名单-GS-{YEAR}-000001.pdf"
    pages = pages_of(response.get_data())
    assert len(pages) >= 2
    for i, page in enumerate(pages, 1):
        assert f"第{i}页/共{len(pages)}页" in flat(page), i
        assert "渔湖镇东湖村扶贫小额信贷评级授信公示" in flat(page)  # the header on every page
    assert f"共{len(listed)}户" in text and c["number"] in text
    assert date_of(c["notice_from"]) + "至" + date_of(c["notice_until"]) in text
    for part in ("村委会（盖章）：", "村委会主任（签字）：", "村务监督委员会（签字）："):
        assert part in text
    rows = re.findall(r"^\s*(\d+)\s+(\S+)\s+(\d{6}\*{8}\d{3}[\dX])\s+(\S+)\s+(\S+)\s+(¥[\d,.]+)\s*$",
                      "\n".join(pages), re.M)
    assert [int(r[0]) for r in rows] == list(range(1, 61))
    assert sorted((r[1], r[2], r[3], r[4], r[5]) for r in rows) == sorted(
        (e["head_name"], e["id_number"], e["village"], e["grade"], money(e["proposed_line"]))
        for e in listed)
    assert print_events()[-1].detail["kind"] == "campaign_notice"


def test_the_notice_page_printed_from_the_browser_and_the_pdf_carry_the_same_signatures(
        as_user, people):
    """One macro writes the 公示 list's sign-off lines for both: they cannot drift apart."""
    campaign_id = notice_of(people, 3)
    officer = as_user("officer")
    page = officer.get(f"/campaigns/{campaign_id}/notice/print")
    assert page.status_code == 200
    block = re.search(r'<div class="signatures">(.*?)\n</div>', page.get_data(as_text=True), re.S)
    on_page = re.findall(r"<div>([^<]+)<span class=\"line\"></span></div>", block.group(1))
    assert on_page == ["村委会（盖章）：", "村委会主任（签字）：", "村务监督委员会（签字）：",
                       "驻村扶贫专干（签字）：", "张贴日期：", "撤榜日期："]
    response = officer.get(f"/papers/campaigns/{campaign_id}/notice")
    text, _name = printed(response)
    closing = text[text.index("共3户。"):]  # the lines after the list, in the order written
    assert "".join(on_page) in closing


def claim_with_history() -> tuple[str, str]:
    """A PSBC loan 95 days past due with a repayment and two status reports, claimed and paid."""
    loan_id = loan(dpd=95, accrued_interest_unpaid_fen=12_345, outstanding_principal_fen=900_000)
    db.session.add(Repayment(loan_id=loan_id, paid_on=TODAY - timedelta(days=300),
                             principal_fen=100_000, interest_fen=7_500, contract_interest_fen=7_500))
    db.session.add(StatusReport(loan_id=loan_id, as_of=TODAY - timedelta(days=65),
                                days_past_due=30, classification="关注"))
    db.session.add(StatusReport(loan_id=loan_id, as_of=TODAY - timedelta(days=5),
                                days_past_due=95, classification="次级"))
    db.session.commit()
    db.session.close()
    return loan_id, paid_claim(loan_id)


def test_the_claim_form_copies_the_claim_services_calculation_and_the_loans_history(
        as_user, keys, client):
    funded()
    loan_id, claim_id = claim_with_history()
    bank = keys.headers("bank")
    claim = client.get(f"/api/v1/claims/{claim_id}", headers=bank).get_json()
    detail = client.get(f"/api/v1/loans/{loan_id}", headers=bank).get_json()
    comp, ln = claim["computation"], detail["loan"]
    h = client.get(f"/api/v1/households/{ln['household_id']}",
                   headers=keys.headers("officer")).get_json()
    response = as_user("psbc").get(f"/papers/claims/{claim_id}")
    text, name = printed(response)
    assert name == f"代偿申请表-DC-{YEAR}-000001.pdf"
    for part in (money(comp["outstanding_principal"]), money(comp["accrued_unpaid_interest"]),
                 money(comp["recoveries_so_far"]), money(comp["claimable_base"]),
                 f"{Decimal(comp['fund_loss_share']) * 100:.0f}%", money(claim["amount_filed"]),
                 money(claim["amount_at_approval"]), f"{claim['days_past_due']}天",
                 ln["number"], money(ln["principal"]), date_of(ln["disbursed_on"]),
                 date_of(ln["maturity_on"]), f"{ln['annual_rate']}%",
                 "贷款银行意见", "财政局意见", "风险补偿金管理方意见", h["head_name"],
                 h["id_number"], h["town"] + h["village"]):
        assert flat(part) in text, part
    assert comp["fund_loss_share"] == "0.80" and money(claim["amount_filed"]) == "¥7,298.76"
    for r in detail["repayments"]:
        assert flat(date_of(r["paid_on"]) + "还款" + money(r["principal"]) + money(r["interest"])) in text
    for s in detail["status_reports"]:
        assert flat(date_of(s["as_of"]) + "逾期报送" + s["classification"]
                    + f"{s['days_past_due']}天") in text
    assert print_events()[-1].target_id == claim_id
    # Roles: the other bank gets 404, the fund office prints it, an officer may not.
    assert as_user("abc").get(f"/papers/claims/{claim_id}").status_code == 404
    assert as_user("fund").get(f"/papers/claims/{claim_id}").status_code == 200
    assert as_user("officer").get(f"/papers/claims/{claim_id}").status_code == 403
    assert len(print_events()) == 2


def test_the_repayment_schedule_prints_every_instalment_and_its_totals(as_user, keys, client):
    funded()
    loan_id = disbursed()
    detail = client.get(f"/api/v1/loans/{loan_id}", headers=keys.headers("bank")).get_json()
    ln = detail["loan"]
    h = client.get(f"/api/v1/households/{ln['household_id']}",
                   headers=keys.headers("officer")).get_json()
    response = as_user("psbc").get(f"/papers/loans/{loan_id}/schedule")
    text, name = printed(response)
    assert name == f"还款计划表-HK-{YEAR}-000001.pdf"
    for item in ln["schedule"]:
        row = (f"{item['seq']}{date_of(item['due_on'])}{money(item['principal'])}"
               f"{money(item['interest'])}{money(item['paid_principal'])}{money(item['paid_interest'])}")
        assert row in text, row
    totals = [sum(Decimal(i[k]) for i in ln["schedule"])
              for k in ("principal", "interest", "paid_principal", "paid_interest")]
    assert "合计" + "".join(money(t) for t in totals) in text
    assert totals[0] == Decimal(ln["principal"])
    for part in (ln["number"], money(ln["principal"]), f"{ln['annual_rate']}%", "按季付息、到期还本",
                 h["head_name"], h["id_number"],
                 date_of(ln["disbursed_on"]), date_of(ln["maturity_on"])):
        assert flat(part) in text, part
    assert as_user("abc").get(f"/papers/loans/{loan_id}/schedule").status_code == 404
    assert as_user("officer").get(f"/papers/loans/{loan_id}/schedule").status_code == 200


def test_the_hash_is_of_the_figures_whatever_their_order():
    assert fingerprint({"a": "1.00", "b": [1, 2]}) == fingerprint({"b": [1, 2], "a": "1.00"})
    assert fingerprint({"a": "1.00"}) != fingerprint({"a": "1.01"})
    assert fingerprint({}) == "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"


def test_each_paper_has_its_button_where_its_user_works(as_user, people):
    funded()
    household_id = lined_household(people)
    app_id = ApplicationFactory(status="approved", assessment=ASSESSMENT).id
    db.session.commit()
    loan_id, claim_id = claim_with_history()
    campaign_id = notice_of(people, 2)
    officer, psbc, fund = as_user("officer"), as_user("psbc"), as_user("fund")
    for client, page, link in (
            (officer, f"/households/{household_id}?tab=lines",
             f"/papers/households/{household_id}/credit-line-notice"),
            (officer, f"/applications/{app_id}", f"/papers/applications/{app_id}/recommendation"),
            (officer, f"/campaigns/{campaign_id}/notice", f"/papers/campaigns/{campaign_id}/notice"),
            (psbc, "/bank/claims", f"/papers/claims/{claim_id}"),
            (psbc, f"/bank/loans/{loan_id}", f"/papers/loans/{loan_id}/schedule"),
            (psbc, f"/bank/loans/{loan_id}", f"/papers/claims/{claim_id}"),
            (fund, f"/fund/claims/{claim_id}", f"/papers/claims/{claim_id}")):
        assert f'href="{link}"' in client.get(page).get_data(as_text=True), (page, link)
