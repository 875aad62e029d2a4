"""The services' refusals as a bank's staff read them: one Chinese sentence per refusal code.

A refusal keeps its field (the amount, the rate, the date) so the page marks the field it
concerns; the sentence goes beside it and at the top of the form.
"""

from flask_babel import lazy_gettext as _l

from creditsvc.core.errors import AppError
from creditsvc.pages.validation import refusal_errors

REFUSALS = {
    "leverage_cap_reached": _l("放款将超过风险补偿金的放大倍数上限（资本金×杠杆），待基金注资后再办理"),
    "bank_capacity_reached": _l("放款将超过本行在风险补偿金中的分配额度，暂不能放款"),
    "household_cap_reached": _l("该户扶贫小额信贷余额将超过每户上限（5 万元）"),
    "lending_suspended_npl": _l("不良贷款率已达到容忍度，放款已暂停"),
    "lending_suspended_balance": _l("风险补偿金余额低于资本金的规定比例，放款已暂停"),
    "fund_not_initialised": _l("风险补偿金尚未注资，暂不能放款"),
    "credit_line_expired": _l("授信已过有效期，须重新申请"),
    "hard_rule_failed": _l("该户已不符合准入条件（征信、户类型、年龄或逾期），不能放款"),
    "amount_below_minimum": _l("金额低于政策最低额度"),
    "amount_above_maximum": _l("金额超过政策最高额度"),
    "amount_above_approved": _l("放款金额不得超过核准金额"),
    "amount_above_limit": _l("金额超过可核准上限"),
    "rate_above_cap": _l("利率不得超过该期限的 LPR 上限"),
    "invalid_rate": _l("利率须为正数，最多两位小数"),
    "no_lpr_for_date": _l("该日期没有适用的 LPR"),
    "date_in_future": _l("日期不能晚于今天"),
    "before_acceptance": _l("放款日期不能早于银行受理日期"),
    "invalid_transition": _l("当前状态下不能进行此操作（可能已被处理）"),
    "application_not_found": _l("申请不存在或不属于本行"),
    "loan_not_found": _l("贷款不存在或不属于本行"),
    "empty_repayment": _l("还款本金和利息不能都为零"),
    "overpayment": _l("还款金额超过应还金额"),
    "invalid_date": _l("日期不在贷款的存续期内"),
    "stale_status_report": _l("统计日期早于该笔贷款上一次报送或放款日期"),
    "dpd_exceeds_age": _l("逾期天数超过自首个还款日以来的天数"),
    "already_extended": _l("每笔贷款只能展期一次"),
    "extension_too_long": _l("展期期限超出政策规定"),
    "extension_after_maturity": _l("展期须在贷款到期前办理"),
    "diversion_already_reported": _l("该笔贷款已登记挪用"),
    "claim_exists": _l("该笔贷款已申报代偿"),
    "not_in_default": _l("贷款须逾期达到代偿触发天数（90 天）方可申报代偿"),
    "nothing_to_claim": _l("该笔贷款已无可代偿金额"),
    "loan_not_claimed": _l("只有风险补偿金已赔付的贷款才能登记追偿"),
    "before_claim_paid": _l("追回日期不能早于代偿赔付日期"),
    "idempotency_key_reused": _l("此表单已提交过其他内容，请刷新页面后重新填写"),
    "idempotency_in_progress": _l("此表单正在处理中，请稍候刷新"),
    "form_token_invalid": _l("表单已失效，请刷新页面后重新提交"),
}


def refusal(error: AppError) -> dict[str, list[str]]:
    """ERROR as the form's errors: the code's sentence at the top and beside its fields."""
    text = REFUSALS.get(error.code)
    if text is None:
        return refusal_errors(error)
    errors = {name: [str(text)] for name in (error.errors or {})}
    errors["_form"] = [str(text)]
    return errors


def message(error: AppError) -> str:
    """ERROR in one sentence (a flash, or a row of a bulk outcome)."""
    text = REFUSALS.get(error.code)
    if text is not None:
        return str(text)
    return "；".join(m for ms in refusal_errors(error).values() for m in ms)
