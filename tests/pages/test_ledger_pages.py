"""贷款台账 and 台账统计表 as pages and xlsx: each loan's cells, who sees which rows, the range."""

import io
import re
from datetime import datetime
from decimal import Decimal

import openpyxl
import pytest

from creditsvc.infra.extensions import db
from models import Loan
from tests.ledger_book import lay_book
from tests.pages.people import assign_area

HEADER = ["贷款编号", "户主", "乡镇", "村", "信用等级评定", "授信额度", "授信时间", "贷款金额",
          "期限（月）", "放款日期", "到期日期", "利率", "贷款机构", "累计贴息金额", "贷款余额",
          "逾期金额", "逾期时间", "欠息金额", "欠息时间", "贷款用途", "状态"]


@pytest.fixture
def book(app):
    return lay_book()


def _sheet(response):
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype.endswith("spreadsheetml.sheet")
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    top = next(i for i, r in enumerate(rows) if r[0] in ("贷款编号", "分组"))
    return sheet, rows[:top], rows[top], rows[top + 1:]


def _number(book_id):
    return db.session.get(Loan, book_id).number


def test_the_xlsx_holds_each_loan_cell_by_cell(as_user, book):
    sheet, heading, header, rows = _sheet(as_user("fund").get("/ledger/export.xlsx"))
    assert header == HEADER
    assert heading[0][0] == "扶贫小额信贷台账" and heading[1][0] == "筛选：全部"
    assert "fund-qian" in heading[2][0] and "2026-11-02" in heading[2][0]
    by_number = {r[0]: r for r in rows}
    assert len(rows) == 7
    # A: a household with a ¥50,000 AAA line granted 2025-02-20, ¥10,000 at 3.00% for 12 months.
    assert by_number[_number(book.a)] == [
        _number(book.a), "陈*", "渔湖镇", "东湖村", "AAA", 50000, datetime(2025, 2, 20), 10000, 12,
        datetime(2025, 3, 10), datetime(2027, 3, 10), 0.03, "中国邮政储蓄银行", 135, 10000, 0,
        None, 0, None, "种植", "在贷"]
    # E: lent through the service on 2026-01-05, ¥1,000 repaid; its quarters' interest unpaid.
    e = by_number[_number(book.e)]
    assert e[7:15] == [10000, 12, datetime(2026, 1, 5), datetime(2027, 1, 5), 0.03,
                       "中国邮政储蓄银行", 0, 9000]
    assert (e[17], e[18]) == (227.5, datetime(2026, 4, 5))  # interest due since 04-05, unpaid
    # F: 200 days late by its report of 2026-11-02 (overdue since 2026-04-17), then claimed.
    f = by_number[_number(book.f)]
    assert (f[4], f[5], f[16], f[20]) == ("AA", "—", datetime(2026, 4, 17), "已代偿")
    g = by_number[_number(book.g)]
    assert (g[12], g[16], g[20]) == ("中国农业银行", datetime(2026, 9, 19), "在贷")
    # Formats: money, percentages and dates as the county's sheets keep them.
    row = 1 + len(heading) + 1 + [r[0] for r in rows].index(_number(book.a))
    assert sheet.cell(row, 8).number_format == "#,##0.00"
    assert sheet.cell(row, 12).number_format == "0.00%"
    assert sheet.cell(row, 10).number_format == "yyyy-mm-dd"


def test_the_page_and_its_xlsx_hold_the_same_filtered_rows(as_user, book):
    client = as_user("fund")
    page = client.get("/ledger?bank=PSBC&town=渔湖镇")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    numbers = {_number(i) for i in (book.a, book.e, book.f)}
    assert all(n in text for n in numbers) and _number(book.c) not in text
    assert "135.00" in text  # A's 累计贴息金额: the subsidy paid on it
    _, heading, _, rows = _sheet(client.get("/ledger/export.xlsx?bank=PSBC&town=渔湖镇"))
    assert {r[0] for r in rows} == numbers
    assert heading[1][0] == "筛选：贷款机构=中国邮政储蓄银行；乡镇=渔湖镇"
    _, _, _, rows = _sheet(client.get(
        "/ledger/export.xlsx?disbursed_from=2026-01-01&disbursed_to=2026-12-31&status=active"))
    assert {r[0] for r in rows} == {_number(i) for i in (book.c, book.e, book.d)}


def test_a_bank_sees_none_of_the_other_banks_rows(as_user, book):
    client = as_user("abc")
    text = client.get("/ledger").get_data(as_text=True)
    abc = {_number(i) for i in (book.b, book.g, book.d)}
    psbc = {_number(i) for i in (book.a, book.c, book.e, book.f)}
    assert all(n in text for n in abc) and not any(n in text for n in psbc)
    _, _, _, rows = _sheet(client.get("/ledger/export.xlsx"))
    assert {r[0] for r in rows} == abc
    _, _, _, rows = _sheet(client.get("/ledger/export.xlsx?bank=PSBC"))  # asking is not seeing
    assert rows == []
    _, _, _, rows = _sheet(client.get("/ledger/stats.xlsx?first=2026-11&last=2026-11"))
    assert {r[1] for r in rows if r[0] == "按银行"} == {"中国农业银行"}
    stats = client.get("/ledger/stats").get_data(as_text=True)
    assert "中国邮政储蓄银行" not in stats and 'id="fund-end"' not in stats


def test_an_officer_sees_the_loans_of_their_area(as_user, people, book):
    assign_area(people["officer"], "地都镇")
    client = as_user("officer")
    _, _, _, rows = _sheet(client.get("/ledger/export.xlsx"))
    assert {r[0] for r in rows} == {_number(book.b), _number(book.c)}
    assert client.get("/ledger/stats").status_code == 403


def test_the_statistics_page_and_xlsx(as_user, book):
    client = as_user("fund")
    page = client.get("/ledger/stats?first=2026-11&last=2026-11")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and 'id="fund-end"' in text and "¥107,000.00" in text
    _, heading, header, rows = _sheet(client.get("/ledger/stats.xlsx?first=2026-11&last=2026-11"))
    assert header[:6] == ["分组", "名称", "累计投放额", "新增投放额", "净增额", "贷款余额"]
    total = rows[-1]
    assert total[:6] == ["合计", "合计", 113000, 10000, 4000, 107000]
    assert total[10:17] == [6, 0.0329, 7, 50000, 17833.33, 1, 1]
    assert total[17:] == [4000, 1000]
    assert any("期末基金余额 496,800.00 元" in (h[0] or "") for h in heading)


def test_a_month_without_a_snapshot_says_so_on_the_page_and_in_the_xlsx(as_user, book):
    client = as_user("fund")
    text = client.get("/ledger/stats?first=2026-09&last=2026-09").get_data(as_text=True)
    assert 'id="missing-months"' in text and "2026-09" in text
    _, heading, _, rows = _sheet(client.get("/ledger/stats.xlsx?first=2026-09&last=2026-09"))
    assert any("以下月份无快照" in (h[0] or "") and "2026-09" in h[0] for h in heading)
    assert rows[-1][2:7] == ["—"] * 5


def test_a_bad_range_is_shown_beside_its_field(as_user, book):
    response = as_user("fund").get("/ledger/stats?first=2026-11&last=2026-10")
    assert response.status_code == 422
    assert "起始月份不能晚于截止月份" in response.get_data(as_text=True)
    bad = as_user("fund").get("/ledger?disbursed_from=2026-05-01&disbursed_to=2026-01-01")
    assert bad.status_code == 422 and "放款日期的起始日不能晚于截止日" in bad.get_data(as_text=True)



def test_the_month_running_says_when_it_was_taken_and_a_fund_manager_takes_it_again(as_user,
                                                                                     book):
    from creditsvc.jobs import worker
    from creditsvc.services.loans import servicing
    from models import PortfolioSnapshot
    from tests.ledger_book import PSBC
    from tests.today import TODAY
    from tests.work import done

    client = as_user("fund")
    page = client.get("/ledger/stats").get_data(as_text=True)
    assert 'id="current-month"' in page and "本月数字截至" in page and "¥107,000.00" in page
    taken = db.session.get(PortfolioSnapshot, "2026-11").taken_at
    done(db.session, servicing.repay, PSBC, db.session.get(Loan, book.e),
         principal=Decimal("500.00"), interest=Decimal("0.00"), paid_on=TODAY, today=TODAY)
    assert "¥107,000.00" in client.get("/ledger/stats").get_data(as_text=True)  # as taken
    form = re.search(r'action="/ledger/stats/refresh"(.*?)</form>', page, re.S).group(1)
    tokens = dict(re.findall(r'name="(csrf_token|form_token)" value="([^"]+)"', form))
    queued = client.post("/ledger/stats/refresh", data=tokens)
    assert queued.status_code == 302 and "/jobs/" in queued.headers["Location"]
    assert client.post("/ledger/stats/refresh", data=tokens).headers["Location"] == \
        queued.headers["Location"]  # the same form twice: one job
    assert worker.run(db.session, once=True, beat_seconds=0.2) == 1
    job = client.get(queued.headers["Location"]).get_data(as_text=True)
    assert 'id="snapshot-stats"' in job and "first=2026-11" in job
    db.session.expire_all()
    assert db.session.get(PortfolioSnapshot, "2026-11").taken_at >= taken
    assert "¥106,500.00" in client.get("/ledger/stats").get_data(as_text=True)
    psbc = as_user("psbc")
    bank = psbc.get("/ledger/stats").get_data(as_text=True)
    assert "本月数字截至" in bank and 'id="stats-refresh"' not in bank
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', bank).group(1)
    assert psbc.post("/ledger/stats/refresh", data={"csrf_token": csrf}).status_code == 403
