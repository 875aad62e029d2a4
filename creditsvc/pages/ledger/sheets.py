"""The 台账's xlsx files: their columns (headers in the reader's language) and each row's values.

Both sheets go through the one writer (services/exports/workbook.py); money leaves here as
Decimal yuan, rates and changes as Decimal fractions, dates as dates, a figure with no
source (a month without a snapshot) as "—".
"""

import tempfile
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from flask_babel import gettext as _

from creditsvc.core.money import from_fen
from creditsvc.core.principal import Principal
from creditsvc.infra import clock
from creditsvc.infra.downloads import attachment
from creditsvc.pages.formatting import moment
from creditsvc.pages.labels import label
from creditsvc.services.exports.workbook import Column, write_xlsx
from creditsvc.services.ledger.loans import LedgerRow
from creditsvc.services.ledger.stats import StatRow, StatTable

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NONE = "—"


def _money(fen):
    return NONE if fen is None else from_fen(fen)


def _value(value):
    return NONE if value is None else value


def loan_columns() -> list[Column]:
    """The per-loan 台账's columns, in the page's order."""
    return [Column(_("贷款编号")), Column(_("户主")), Column(_("乡镇")), Column(_("村")),
            Column(_("信用等级评定")), Column(_("授信额度"), "money"),
            Column(_("授信时间"), "date"), Column(_("贷款金额"), "money"),
            Column(_("期限（月）"), "int"), Column(_("放款日期"), "date"),
            Column(_("到期日期"), "date"), Column(_("利率"), "percent"),
            Column(_("贷款机构")), Column(_("累计贴息金额"), "money"),
            Column(_("贷款余额"), "money"), Column(_("逾期金额"), "money"),
            Column(_("逾期时间"), "date"), Column(_("欠息金额"), "money"),
            Column(_("欠息时间"), "date"), Column(_("贷款用途")), Column(_("状态"))]


def loan_values(row: LedgerRow) -> list:
    """One loan's cells, in loan_columns' order."""
    return [row.number, row.head_name, row.town, row.village, _value(row.grade),
            _money(row.line_fen), row.granted_on, from_fen(row.principal_fen), row.term_months,
            row.disbursed_on, row.maturity_on, Decimal(row.rate_bp) / 10_000,
            label("bank", row.bank_code), _money(row.subsidy_fen), from_fen(row.outstanding_fen),
            from_fen(row.overdue_fen), row.overdue_since, from_fen(row.arrears_fen),
            row.arrears_since, label("purpose", row.purpose), label("loan_status", row.status)]


def stat_columns() -> list[Column]:
    """The 台账统计表's columns: the group, then the county table's figures."""
    return [Column(_("分组")), Column(_("名称")), Column(_("累计投放额"), "money"),
            Column(_("新增投放额"), "money"), Column(_("净增额"), "money"),
            Column(_("贷款余额"), "money"), Column(_("较年初增减额"), "money"),
            Column(_("较年初增减率"), "percent"), Column(_("较去年同期增减额"), "money"),
            Column(_("较去年同期增减率"), "percent"), Column(_("贷款笔数"), "int"),
            Column(_("贷款加权平均利率"), "percent"), Column(_("支持带动贫困人口数"), "int"),
            Column(_("户均授信额度"), "money"), Column(_("户均贷款余额"), "money"),
            Column(_("逾期笔数"), "int"), Column(_("欠息笔数"), "int"),
            Column(_("代偿金额"), "money"), Column(_("回收金额"), "money")]


def stat_values(group: str, name: str, r: StatRow) -> list:
    """One row of the table's cells, in stat_columns' order."""
    return [group, name, _money(r.lent_fen), _money(r.new_fen), _money(r.net_fen),
            _money(r.outstanding_fen), _money(r.ytd_fen), _value(r.ytd), _money(r.yoy_fen),
            _value(r.yoy), _value(r.loans), _value(r.rate), _value(r.members),
            _money(r.line_avg_fen), _money(r.balance_avg_fen), _value(r.overdue_loans),
            _value(r.arrears_loans), from_fen(r.claims_fen), from_fen(r.recoveries_fen)]


def stat_rows(table: StatTable) -> list[list]:
    """The table's rows: each bank, each town, the total."""
    return ([stat_values(_("按银行"), label("bank", r.bank_code), r) for r in table.banks]
            + [stat_values(_("按乡镇"), r.town, r) for r in table.towns]
            + [stat_values(_("合计"), _("合计"), table.total)])


def who_when(actor: Principal) -> str:
    """The heading's last line: who exported, on which business date, when."""
    return _("导出：%(name)s；业务日期 %(day)s；导出时间 %(at)s", name=actor.name,
             day=clock.today().isoformat(), at=moment(datetime.now(UTC)))


def xlsx(filename: str, columns, rows, sheet: str, heading: list[str]):
    """ROWS under COLUMNS as an xlsx download named FILENAME (written to disk, then sent)."""
    with tempfile.TemporaryDirectory(prefix="ledger-") as folder:
        path = Path(folder) / "ledger.xlsx"
        write_xlsx(str(path), columns, rows, sheet=sheet, heading=heading)
        return attachment(path.read_bytes(), XLSX, filename)
