"""Exports of the lists: each read cell by cell with openpyxl, masked and revealed, filtered as
the list, a bank's holding its own rows only, the reveal audited with the file's SHA-256."""

import hashlib
import io
from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pytest
from sqlalchemy import select

from creditsvc.core.errors import Forbidden, Invalid
from creditsvc.services.exports import run
from creditsvc.services.platform.uow import UnitOfWork
from models import AuditEvent, Household
from tests.services.export_books import export_book
from tests.today import TODAY

LOAN_HEADER = ("贷款编号", "户主", "身份证号", "乡镇", "村", "贷款机构", "放款日", "到期日",
               "期限（月）", "利率", "本金", "贷款余额", "状态", "逾期天数", "五级分类")


@pytest.fixture(autouse=True)
def _in_a_request(app):
    """Headers in the reader's language: a page's request (Chinese unless switched)."""
    with app.test_request_context("/"):
        yield


def sheet_of(made):
    """The rows of an export's only sheet, as values."""
    return list(openpyxl.load_workbook(io.BytesIO(made.body)).active.iter_rows(values_only=True))


def loan_row(session, loan, *, name=None, id_number=None):
    h = session.get(Household, loan.household_id)
    return (loan.number, name or h.head_name_masked, id_number or h.id_number_masked, loan.town,
            loan.village, {"PSBC": "中国邮政储蓄银行", "ABC": "中国农业银行"}[loan.bank_code],
            datetime.combine(loan.disbursed_on, datetime.min.time()),
            datetime.combine(loan.maturity_on, datetime.min.time()), loan.term_months,
            loan.rate_bp / 10000, loan.principal_fen / 100, loan.outstanding_principal_fen / 100,
            {"active": "在贷", "repaid": "已结清"}[loan.status], loan.days_past_due,
            loan.classification)


def test_the_area_loans_export_cell_by_cell_masked(app, session):
    loans, actors, _ = export_book(session)
    made = run.write_export(session, actors["li"], "area_loans", {"status": "active"}, today=TODAY)
    rows = sheet_of(made)
    assert rows[0][0] == "贷款（我负责的区域）"
    assert rows[1][0] == "筛选条件：状态：在贷"
    assert rows[2][0] == f"导出人：officer-li    导出日期：{TODAY.isoformat()}"
    assert rows[3][0] == "个人信息已遮蔽"
    assert rows[4] == LOAN_HEADER
    expected = [loan_row(session, loans[k]) for k in ("due30", "due31", "fallen", "paid", "old")]
    assert rows[5:] == expected  # Wang's area and the repaid loan (filtered out) are not there
    assert made.rows == 5 and made.sha256 == hashlib.sha256(made.body).hexdigest()
    book = openpyxl.load_workbook(io.BytesIO(made.body)).active
    assert book.freeze_panes == "A6"
    assert [book.cell(6, c).number_format for c in (7, 10, 11)] == ["yyyy-mm-dd", "0.00%", "#,##0.00"]
    assert session.execute(select(AuditEvent).where(AuditEvent.action == "export.reveal")).first() is None


def test_a_revealed_export_shows_clear_values_and_is_audited_with_the_files_hash(app, session):
    loans, actors, _ = export_book(session)
    cipher = app.extensions["creditsvc.core.pii"]
    h = session.get(Household, loans["due30"].household_id)
    h.head_name_enc, h.id_number_enc = cipher.encrypt("陈建国"), cipher.encrypt("445221198005170011")
    session.commit()
    with UnitOfWork(session) as uow:
        made = run.write_export(uow.session, actors["li"], "area_loans", {"number": loans["due30"].number},
                                today=TODAY, reason="县里核对贷款户名单", cipher=cipher)
        uow.commit()
    rows = sheet_of(made)
    assert rows[3][0] == "个人信息已按申请显示（已记录审计）"
    assert rows[5:] == [loan_row(session, loans["due30"], name="陈建国",
                                 id_number="445221198005170011")]
    event = session.execute(select(AuditEvent).where(AuditEvent.action == "export.reveal")).scalar_one()
    assert event.detail["rows"] == 1 and event.detail["reason"] == "县里核对贷款户名单"
    assert event.detail["sha256"] == hashlib.sha256(made.body).hexdigest()
    assert event.target_id == "area_loans" and event.actor_id == actors["li"].user_id


def test_a_reveal_needs_an_officer_and_a_reason(app, session):
    _, actors, _ = export_book(session)
    with pytest.raises(Invalid) as short:
        run.write_export(session, actors["li"], "area_loans", {}, today=TODAY, reason="看看")
    assert short.value.code == "export_reveal_reason_required"
    with pytest.raises(Forbidden) as bank:
        run.write_export(session, actors["psbc"], "loans", {}, today=TODAY, reason="县里核对贷款户名单")
    assert bank.value.code == "export_reveal_forbidden"
    with pytest.raises(Forbidden):
        run.write_export(session, actors["psbc"], "households", {}, today=TODAY)


def test_a_banks_export_holds_none_of_the_other_banks_rows(app, session):
    loans, actors, _ = export_book(session)
    for bank, actor in (("PSBC", actors["psbc"]), ("ABC", actors["abc"])):
        made = run.write_export(session, actor, "loans", {}, today=TODAY)
        numbers = {r[0] for r in sheet_of(made)[5:]}
        assert numbers == {loan.number for loan in loans.values() if loan.bank_code == bank}
        assert run.count_rows(session, actor, "loans", {}, today=TODAY) == len(numbers)
    filtered = run.write_export(session, actors["abc"], "loans", {"classification": "关注"},
                                today=TODAY)
    assert [r[0] for r in sheet_of(filtered)[5:]] == [loans["fallen"].number]
    assert sheet_of(filtered)[1][0] == "筛选条件：五级分类：关注"


def test_the_coming_due_export_lists_what_the_desk_counts(app, session):
    loans, actors, _ = export_book(session)
    made = run.write_export(session, actors["li"], "coming_due", {}, today=TODAY)
    rows = sheet_of(made)
    assert rows[4][6:8] == ("应还日", "应还金额")
    (row,) = rows[5:]
    assert row[0] == loans["due30"].number
    assert row[6] == datetime(2026, 12, 2) and row[7] == 172.5 and row[8] == 20000
    fallen = sheet_of(run.write_export(session, actors["abc"], "fallen_due", {}, today=TODAY))
    assert [r[0] for r in fallen[5:]] == [loans["fallen"].number]
    assert TODAY == date(2026, 11, 2) and Decimal("172.50") == Decimal(row[7]).quantize(Decimal("0.01"))


def test_the_english_switch_gives_english_headers_and_labels(app, session):
    from flask_babel import force_locale
    loans, actors, _ = export_book(session)
    with force_locale("en"):
        rows = sheet_of(run.write_export(session, actors["li"], "area_loans",
                                         {"number": loans["due30"].number}, today=TODAY))
    assert rows[0][0] == "Loans (my area)" and rows[3][0] == "Personal data masked"
    assert rows[4][:3] == ("Loan id", "Household head", "ID number")  # the pages' own words
    assert rows[5][5] == "Postal Savings Bank of China" and rows[5][12] == "Active"
