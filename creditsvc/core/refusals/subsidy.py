"""Refusals about the interest subsidy (财政贴息): its quarterly statements and their payment."""

from flask_babel import lazy_gettext as _l

TEXTS = {
    "subsidy_statement_not_found": _l("没有找到该贴息清单"),
    "quarter_not_ended": _l("%(year)s 年第 %(quarter)s 季度到 %(end)s 才结束，季度结束后才能编制贴息清单"),
    "subsidy_already_reviewed": _l("贴息清单 %(number)s 已审核，不能再次审核"),
    "subsidy_not_reviewed": _l("贴息清单 %(number)s 尚未审核，审核后才能公告"),
    "subsidy_already_announced": _l("贴息清单 %(number)s 已公告，不能再次公告"),
    "subsidy_not_announced": _l("贴息清单 %(number)s 尚未公告，公告后才能确认拨付"),
    "subsidy_already_paid": _l("贴息清单 %(number)s 已确认拨付，不能重复确认"),
    "subsidy_amount_mismatch": _l("拨付金额须等于清单的贴息合计 %(total)s 元"),
    "before_announcement": _l("拨付日期不能早于清单公告日期 %(announced_on)s"),
    "subsidy_reviewer_is_compiler": _l(
        "贴息清单 %(number)s 由您编制，编制人不能审核自己编制的清单，请由另一位基金管理人员审核"),
    "subsidy_payer_is_reviewer": _l(
        "贴息清单 %(number)s 由您审核，审核人不能确认同一清单的拨付，请由另一位基金管理人员确认"),
}
