"""Refusals about papers to print."""

from flask_babel import lazy_gettext as _l

TEXTS = {
    "paper_no_credit_line": _l("该户没有有效的授信，不能打印授信通知书"),
    "paper_not_approved": _l("该申请未获核准，不能打印贷款推荐表"),
}
