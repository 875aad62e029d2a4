"""Exports of applications, claims and the fund's ledger: cell by cell, filtered as their
lists, a bank's holding its own rows only."""

import io
from datetime import datetime

import openpyxl
import pytest

from creditsvc.core.errors import Forbidden
from creditsvc.core.principal import Principal
from creditsvc.services.exports import run
from creditsvc.services.exports.fields import local
from models import Application, Claim, Household, Loan
from tests.books import fund_with
from tests.factories import ApplicationFactory
from tests.pages.bank_books import loan, paid_claim
from tests.today import TODAY

PSBC = Principal(None, "psbc-zhao", "bank", "PSBC")
ABC = Principal(None, "abc-sun", "bank", "ABC")
FUND = Principal(None, "fund-qian", "fund_manager")
OFFICER = Principal(None, "officer-li", "officer")


@pytest.fixture(autouse=True)
def _in_a_request(app):
    with app.test_request_context("/"):
        yield


def body(session, actor, name, filters=None):
    made = run.write_export(session, actor, name, filters or {}, today=TODAY)
    rows = list(openpyxl.load_workbook(io.BytesIO(made.body)).active.iter_rows(values_only=True))
    return rows[4], rows[5:]


def close(a: datetime, b: datetime) -> bool:
    """Equal to the second (a spreadsheet keeps a time as a fraction of a day)."""
    return abs((a - b).total_seconds()) < 1


def test_claims_export_cell_by_cell_and_a_bank_sees_its_own(app, session):
    fund_with(session, 50_000_000)
    psbc_id = paid_claim(loan("PSBC", dpd=120))
    paid_claim(loan("ABC", dpd=150), bank="ABC")
    claim = session.get(Claim, psbc_id)
    header, rows = body(session, PSBC, "claims")
    assert header == ("贷款编号", "贷款机构", "状态", "逾期天数", "申报金额", "代偿金额", "申报时间",
                      "审批时间", "理由")
    (row,) = rows
    assert row[:6] == (session.get(Loan, claim.loan_id).number, "中国邮政储蓄银行", "已支付", 120,
                       claim.filed_amount_fen / 100, claim.amount_fen / 100)
    assert close(row[6], local(claim.filed_at)) and close(row[7], local(claim.decided_at))
    _, fund_rows = body(session, FUND, "claims", {"status": "paid"})
    assert sorted(r[1] for r in fund_rows) == ["中国农业银行", "中国邮政储蓄银行"]
    assert body(session, FUND, "claims", {"status": "filed"})[1] == []
    with pytest.raises(Forbidden):  # an officer has no claims list
        body(session, OFFICER, "claims")


def test_the_ledger_export_gives_each_entry_and_its_cash_movement(app, session):
    fund_with(session, 50_000_000)
    claim = session.get(Claim, paid_claim(loan("PSBC", dpd=120)))
    header, rows = body(session, FUND, "ledger")
    assert header == ("日期", "类别", "基金现金变动", "说明", "记账时间")
    assert [(r[0], r[1], r[2]) for r in rows] == [
        (datetime.combine(TODAY, datetime.min.time()), "代偿支出", -claim.amount_fen / 100),
        (datetime.combine(TODAY, datetime.min.time()), "注资", 500_000)]
    _, drawn = body(session, FUND, "ledger", {"kind": "claim_draw", "start": TODAY.isoformat()})
    assert [r[1] for r in drawn] == ["代偿支出"]
    with pytest.raises(Forbidden):
        body(session, PSBC, "ledger")


def test_applications_export_as_filtered_newest_first(app, session):
    first = ApplicationFactory(bank_code="PSBC", status="approved", amount_fen=2_000_000,
                               approved_amount_fen=1_500_000)
    second = ApplicationFactory(bank_code="PSBC", status="declined", decision="declined")
    ApplicationFactory(bank_code="ABC", status="approved")
    session.commit()
    header, rows = body(session, FUND, "applications", {"bank": "PSBC"})
    assert header[:3] == ("申请编号", "户主", "身份证号") and header[-1] == "提交时间"
    assert [r[0] for r in rows] == [second.number, first.number]
    home = session.get(Household, first.household_id)
    assert rows[1][1:3] == (home.head_name_masked, home.id_number_masked)
    assert rows[1][6:12] == (20000, 15000, 12, "种植", "AAA", "已核准")
    assert close(rows[1][12], local(session.get(Application, first.id).created_at))
    _, bank_rows = body(session, ABC, "applications")
    assert [r[5] for r in bank_rows] == ["中国农业银行"]


def test_the_exposure_export_is_the_overviews_breakdown(app, session):
    fund_with(session, 50_000_000)
    loan("PSBC", dpd=40)
    loan("ABC")
    header, rows = body(session, FUND, "exposure")
    assert header == ("维度", "分组", "笔数", "贷款余额", "占比")
    by_bank = [r for r in rows if r[0] == "按银行"]
    assert sorted(by_bank) == [("按银行", "中国农业银行", 1, 10000, 0.5),
                               ("按银行", "中国邮政储蓄银行", 1, 10000, 0.5)]
    assert ("按五级分类", "关注", 1, 10000, 0.5) in rows
    with pytest.raises(Forbidden):
        body(session, PSBC, "exposure")


def test_the_bank_queue_export_is_its_approved_applications_as_filtered(app, session):
    mine = ApplicationFactory(bank_code="PSBC", status="approved", approved_amount_fen=3_000_000)
    ApplicationFactory(bank_code="PSBC", status="approved", approved_amount_fen=500_000)
    ApplicationFactory(bank_code="PSBC", status="declined", decision="declined")
    ApplicationFactory(bank_code="ABC", status="approved", approved_amount_fen=3_000_000)
    session.commit()
    _, rows = body(session, PSBC, "bank_queue", {"amount_min": "10000.00"})
    assert [r[0] for r in rows] == [mine.number]
    with pytest.raises(Forbidden):
        body(session, FUND, "bank_queue")
