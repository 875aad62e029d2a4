"""The xlsx writer of every export: headers, number formats, frozen header, widths that fit."""

from datetime import date, datetime
from decimal import Decimal

import openpyxl

from creditsvc.services.exports.workbook import MAX_WIDTH, Column, write_xlsx

COLUMNS = [Column("户主姓名"), Column("贷款金额", "money"), Column("放款日期", "date"),
           Column("利率", "percent"), Column("期限（月）", "int"), Column("导出时间", "datetime")]


def test_a_sheet_has_its_heading_header_formats_and_rows(tmp_path):
    path = tmp_path / "loans.xlsx"
    rows = [("张*三", Decimal("20000.00"), date(2026, 3, 2), Decimal("0.0435"), 12,
             datetime(2026, 3, 2, 9, 30)),
            ("李*", Decimal("1234567.89"), None, None, None, None)]
    assert write_xlsx(path, COLUMNS, rows, sheet="贷款", heading=["贷款台账", "筛选：全部"]) == 2
    sheet = openpyxl.load_workbook(path)["贷款"]
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "贷款台账" and values[1][0] == "筛选：全部"
    assert values[2] == tuple(c.header for c in COLUMNS)
    assert values[3] == ("张*三", 20000, datetime(2026, 3, 2), 0.0435, 12, datetime(2026, 3, 2, 9, 30))
    assert values[4] == ("李*", 1234567.89, None, None, None, None)
    assert sheet.freeze_panes == "A4"
    assert [sheet.cell(4, i).number_format for i in range(2, 7)] == [
        "#,##0.00", "yyyy-mm-dd", "0.00%", "0", "yyyy-mm-dd hh:mm"]
    assert sheet.auto_filter.ref == "A3:F5"


def test_widths_fit_chinese_text_within_a_cap(tmp_path):
    path = tmp_path / "w.xlsx"
    write_xlsx(path, [Column("村"), Column("备注")], [("西田村", "长" * 100), ("a", "b")])
    sheet = openpyxl.load_workbook(path).active
    village, note = sheet.column_dimensions["A"].width, sheet.column_dimensions["B"].width
    assert 8 <= village < 12  # three CJK characters are six widths, plus a margin
    assert MAX_WIDTH <= note < MAX_WIDTH + 1


def test_an_empty_list_gives_its_header_alone(tmp_path):
    path = tmp_path / "e.xlsx"
    assert write_xlsx(path, COLUMNS, []) == 0
    values = list(openpyxl.load_workbook(path).active.iter_rows(values_only=True))
    assert values == [tuple(c.header for c in COLUMNS)]
