"""The bank feed file's rows: a row that cannot be read, and what a job's counts call a refusal.

A row the service refuses (no such loan, a stale report...) is said by the service's own code
(loans.py, households.py); these are the problems of reading a row, and the words a job's
counts by code use where the refusal's own text needs one row's values (its dates).
"""

from flask_babel import lazy_gettext as _l

TEXTS = {
    "missing_loan_id": _l("缺少贷款编号"),
    "invalid_loan_id": _l("贷款编号过长（最多 %(most)s 个字符）"),
    "invalid_as_of": _l("统计日期格式不对，应为 年-月-日（如 2026-06-30）"),
    "invalid_days_past_due": _l("逾期天数应为 0 至 %(most)s 的整数"),
    "feed_rows_date_in_future": _l("统计日期晚于今天"),
    "feed_rows_dpd_exceeds_age": _l("逾期天数超过该贷款自首个还款日至统计日期的天数"),
}
