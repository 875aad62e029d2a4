"""The quarterly 财政贴息清单 on paper: its text checked figure by figure against the API's
statement (a book with a loan whose subsidy stopped as overdue and one as diverted), the
audit of its printing, who may print it, its button, and a footer on every page of a long one.

The book is tests/api/test_subsidy.py's: three PSBC loans and one ABC loan; Q3 2026 compiled
at a share of 80%.
"""

import re
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from creditsvc.core.principal import Principal
from creditsvc.infra.extensions import db
from creditsvc.services.loans import servicing
from creditsvc.services.papers import subsidy_papers
from creditsvc.services.papers.render import fingerprint
from models import Household, Loan, ScheduleItem
from tests.api.test_subsidy import STATEMENTS, book, compile_
from tests.books import fund_with
from tests.factories import LoanFactory
from tests.pages.papers_books import (  # noqa: F401 (_quiet_fonts: a fixture)
    NEEDS_POPPLER,
    _quiet_fonts,
    date_of,
    flat,
    money,
    pages_of,
    print_events,
    printed,
)
from tests.today import TODAY
from tests.work import done

pytestmark = NEEDS_POPPLER
YEAR = TODAY.year
TITLE = "财政贴息清单（2026年第3季度，中国邮政储蓄银行）"
# A loan's line as pdftotext lays it out: 序号, loan number, household, village, three
# amounts and the subsidy's state (a date in Chinese may come out spaced: read to the end).
LINE = re.compile(r"^\s*(\d+)\s+([A-Z]+-\d{4}-\d{6})\s+(\S+)\s+(\S+)\s+(¥[\d,.]+)\s+(¥[\d,.]+)"
                  r"\s+(¥[\d,.]+)\s+(.+?)\s*$", re.M)


def q3_statement(client, keys, session) -> tuple[dict, dict]:
    """The book's loans and PSBC's Q3 statement as the API gives it (share 80%)."""
    loans = book(client, keys, session)
    manager = keys.headers("fund_manager")
    changed = client.put("/api/v1/policy", headers=manager,
                         json={"changes": {"interest_subsidy_share": "0.80"}, "note": "budget"})
    assert changed.status_code == 200, changed.get_json()
    compiled = compile_(client, manager, "PSBC", 2026, 3)
    assert compiled.status_code == 200, compiled.get_json()
    statement_id = compiled.get_json()["id"]
    db.session.close()
    return loans, client.get(f"{STATEMENTS}/{statement_id}", headers=manager).get_json()


def state_of(line: dict) -> str:
    """The line's 贴息状态 as the paper words it."""
    if not line["cancelled"]:
        return "正常"
    why = {"overdue": "逾期", "diverted": "挪用"}[line["cancelled_reason"]]
    return f"{date_of(line['cancelled_on'])}起取消（{why}）"


def test_the_statement_prints_every_figure_of_the_apis_statement(as_user, client, keys, officer, session):
    loans, s = q3_statement(client, keys, session)
    assert s["status"] == "compiled" and len(s["lines"]) == 3
    assert sum(1 for line in s["lines"] if line["cancelled"]) == 2  # overdue and diverted
    response = as_user("fund").get(f"/papers/subsidy-statements/{s['id']}")
    text, name = printed(response)
    number = response.headers["X-Paper-Number"]
    assert number == f"TXQD-{YEAR}-000001" and name == f"财政贴息清单-{number}.pdf"
    for part in (TITLE, s["number"], "待审核", "80.00%", f"政策第{s['policy_version']}版",
                 date_of("2026-07-01") + "—" + date_of("2026-09-30"), date_of(s["compiled_on"]),
                 "3笔，其中贴息取消2笔", "当季实收利息合计" + money(s["interest_paid"]),
                 "计贴利息合计" + money(s["interest_counted"]),
                 "贴息金额合计" + money(s["subsidy"]), "本清单尚未审核", number,
                 date_of(TODAY.isoformat()), response.headers["X-Paper-SHA256"], "第1页/共1页",
                 "贷款银行意见", "财政局意见", "风险补偿金管理方意见"):
        assert flat(part) in text, part
    # One line per loan: every figure as the API's statement gives it, the household masked.
    page = pages_of(response.get_data())[0]
    rows = LINE.findall(page)
    assert [int(r[0]) for r in rows] == [1, 2, 3]
    households = {loan_id: (name, village) for loan_id, name, village in db.session.execute(
        select(Loan.id, Household.head_name_masked, Household.village)
        .join(Household, Household.id == Loan.household_id))}
    printed_rows = {(r[1], r[2], r[3], r[4], r[5], r[6], flat(r[7])) for r in rows}
    assert printed_rows == {
        (line["loan_number"], *households[line["loan_id"]],
         money(line["interest_paid"]), money(line["interest_counted"]), money(line["subsidy"]),
         state_of(line)) for line in s["lines"]}
    assert all("*" in households[line["loan_id"]][0] for line in s["lines"])
    # The stopped loans: paid after the day their subsidy stopped, nothing subsidised.
    by_loan = {line["loan_id"]: line for line in s["lines"]}
    assert by_loan[loans["late"]]["subsidy"] == by_loan[loans["diverted"]]["subsidy"] == "0.00"
    assert flat(state_of(by_loan[loans["late"]])) == "2026年7月6日起取消（逾期）"
    # The totals line.
    total = re.search(r"^\s*合计\s+3\s*笔\s+(¥[\d,.]+)\s+(¥[\d,.]+)\s+(¥[\d,.]+)\s*$", page, re.M)
    assert total and total.groups() == (money(s["interest_paid"]), money(s["interest_counted"]),
                                        money(s["subsidy"])), page
    assert (s["interest_paid"], s["interest_counted"], s["subsidy"]) == ("227.49", "75.83", "60.66")
    assert "ABC" not in text  # the other bank's loan is not on PSBC's statement
    # The hash is of the figures the service gives; the printing is audited with it.
    figures = subsidy_papers.subsidy_statement(
        db.session, Principal(None, "f", "fund_manager"), s["id"])
    assert response.headers["X-Paper-SHA256"] == fingerprint(figures)
    event = print_events()[-1]
    assert (event.action, event.target_type, event.target_id, event.actor_name) == (
        "paper.print", "subsidy_statement", s["id"], "fund-qian")
    assert event.detail == {"kind": "subsidy_statement", "number": number,
                            "date": TODAY.isoformat(), "revealed": False,
                            "sha256": response.headers["X-Paper-SHA256"]}


def test_a_bank_prints_its_own_statement_once_announced(as_user, client, keys, officer, session):
    _loans, s = q3_statement(client, keys, session)
    url = f"/papers/subsidy-statements/{s['id']}"
    psbc, abc, fund = as_user("psbc"), as_user("abc"), as_user("fund")
    assert psbc.get(url).status_code == 404  # a draft is the fund office's
    assert as_user("officer").get(url).status_code == 403
    assert print_events() == []
    manager = keys.headers("fund_manager")  # compiled it, so confirms the payment below
    checker = keys.headers("fund_manager", name="fund-checker")  # not the compiler: four eyes
    for step in ("review", "announcement"):
        assert client.post(f"{STATEMENTS}/{s['id']}/{step}", headers=checker,
                           json={} if step == "review" else None).status_code == 200
    page = psbc.get(f"/subsidy/{s['id']}").get_data(as_text=True)
    assert f'href="{url}"' in page and 'id="print-statement"' in page
    assert f'href="{url}"' in fund.get(f"/subsidy/{s['id']}").get_data(as_text=True)
    assert abc.get(url).status_code == 404  # never another bank's
    text, _name = printed(psbc.get(url))
    assert flat(TITLE) in text and "已公告" in text and "本清单尚未审核" not in text
    assert flat("贴息金额合计" + money(s["subsidy"])) in text
    event = print_events()[-1]
    assert (event.actor_name, event.target_id) == ("psbc-zhao", s["id"])
    # Once the bureau has paid: its payment is on the paper.
    paid = client.post(f"{STATEMENTS}/{s['id']}/payment", headers={
        **manager, "Idempotency-Key": "paper-pay"}, json={
        "amount": s["subsidy"], "paid_on": TODAY.isoformat(), "reference": "GK-2026-0777"})
    assert paid.status_code in (200, 201), paid.get_json()
    text, _name = printed(fund.get(url))
    assert "已拨付" in text and flat(f"财政局拨付{money(s['subsidy'])}·{date_of(TODAY.isoformat())}"
                                   "·凭证号GK-2026-0777") in text
    assert [e.detail["number"] for e in print_events()] == [f"TXQD-{YEAR}-00000{i}" for i in (1, 2)]


def test_a_long_statement_numbers_every_page(as_user, client, keys):
    fund_with(db.session, 50_000_000)
    bank = Principal(None, "b", "bank", "PSBC")
    for i in range(60):
        loan = LoanFactory(accrued_interest_unpaid_fen=30_000 + i)
        loan.schedule.append(ScheduleItem(seq=1, due_on=loan.maturity_on,
                                          principal_fen=loan.principal_fen,
                                          interest_fen=30_000 + i))
        db.session.commit()
        done(db.session, servicing.repay, bank, loan, principal=Decimal(0),
             interest=Decimal(30_000 + i) / 100, paid_on=date(2026, 9, 1), today=TODAY)
    db.session.close()
    manager = keys.headers("fund_manager")
    s = compile_(client, manager, "PSBC", 2026, 3).get_json()
    assert len(s["lines"]) == 60
    response = as_user("fund").get(f"/papers/subsidy-statements/{s['id']}")
    text, _name = printed(response)
    pages = pages_of(response.get_data())
    assert len(pages) >= 2
    for i, page in enumerate(pages, 1):
        assert f"第{i}页/共{len(pages)}页" in flat(page), i
        assert TITLE in flat(page)  # the title in every page's header
    rows = LINE.findall("\n".join(pages))
    assert [int(r[0]) for r in rows] == list(range(1, 61))
    assert sorted((r[1], r[6]) for r in rows) == sorted(
        (line["loan_number"], money(line["subsidy"])) for line in s["lines"])
    assert flat("贴息金额合计" + money(s["subsidy"])) in text
    # The totals once, after the last loan (not repeated at the foot of every page).
    assert re.findall(r"合计\s*60\s*笔", text) == ["合计60笔"]
    last = max(s["lines"], key=lambda line: line["loan_number"])["loan_number"]
    assert text.index(last) < text.index("合计60笔") < text.index("贷款银行意见")
    assert s["subsidy"] == f"{sum(Decimal(30_000 + i) for i in range(60)) / 100:.2f}"
