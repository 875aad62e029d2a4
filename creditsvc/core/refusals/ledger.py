"""Refusals about the 台账: its months and filters."""

from flask_babel import lazy_gettext as _l

TEXTS = {
    "ledger_range_reversed": _l("起始月份不能晚于截止月份"),
    "ledger_month_ahead": _l("截止月份不能晚于本月（%(current)s）"),
    "ledger_range_too_long": _l("统计区间最长 %(most)s 个月"),
    "ledger_dates_reversed": _l("放款日期的起始日不能晚于截止日"),
}
