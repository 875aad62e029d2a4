"""Refusals about ratings without an application, the borrower, and credit lines."""

from flask_babel import lazy_gettext as _l

TEXTS = {
    "rating_not_found": _l("评级记录不存在"),
    "survey_missing": _l("该户没有调查表，不能评级"),
    "survey_not_willing": _l("该户调查表未表示贷款意愿，不评级"),
    "survey_amount_missing": _l("该户调查表没有填写意向金额，不能评级"),
    "survey_purpose_missing": _l("该户调查表没有填写贷款用途，不能评级"),
    "survey_term_missing": _l("该户调查表没有填写贷款期限，不能评级"),
    "borrower_not_member": _l("贷款人须为本户家庭成员"),
    "amount_above_line": _l("申请金额不得超过授信可用额度 %(most)s 元（授信额度减去该户未还本金）"),
    "line_used_up": _l("该户授信额度已用完（未还本金已达授信额度 %(line)s 元）"),
    "credit_line_lapsed": _l("授信已于 %(expired_on)s 到期，按无授信办理"),
    "credit_line_not_yet_valid": _l("授信自 %(valid_from)s 起生效，按无授信办理"),
    "credit_line_status_changed": _l("该户户类型已变更为不符合条件的类型，授信失效，按无授信办理"),
    "credit_line_overdue": _l("该户有逾期未还的扶贫小额信贷，授信失效，按无授信办理"),
    "credit_line_bad_credit": _l("该户有重大不良信用记录，授信失效，按无授信办理"),
    "credit_line_revoked": _l("授信已撤销，按无授信办理"),
}
