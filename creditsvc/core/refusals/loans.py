"""Refusals about applications, reviews, disbursements and the servicing of loans."""

from flask_babel import lazy_gettext as _l

TEXTS = {
    "application_not_found": _l("申请不存在或无权查看"),
    "loan_not_found": _l("贷款不存在或无权查看"),
    "approved_amount_required": _l("核准时须填写核准金额"),
    "no_headroom": _l("该户扶贫贷款余额已达上限，没有剩余可贷额度"),
    "amount_below_minimum": _l("金额不得少于政策最低额度 %(least)s 元"),
    "amount_above_maximum": _l("金额不得超过政策最高额度 %(most)s 元"),
    "amount_above_limit": _l(
        "不得超过 %(most)s 元（申请金额、评级授信额度、单笔上限与家庭剩余额度中的最低者）"),
    "amount_above_approved": _l("放款金额不得超过核准金额 %(approved)s 元"),
    "hard_rule_failed": _l("该户有硬性条件未通过（征信、户类型、年龄或逾期），不能核准或放款"),
    "invalid_transition": _l("当前状态下不能进行此操作（可能已被处理），请刷新后查看"),
    "invalid_rate": _l("利率为正的百分数，最多两位小数，例如 3.45"),
    "fund_not_initialised": _l("风险补偿金尚未注资，暂不能放款"),
    "lending_suspended_npl": _l("不良贷款率已达到容忍度，放款已暂停"),
    "lending_suspended_balance": _l("风险补偿金余额低于资本金的规定比例，放款已暂停"),
    "household_cap_reached": _l("该户扶贫小额信贷余额将超过每户上限 %(cap)s 元（现余额 %(owed)s 元）"),
    "before_acceptance": _l("放款日期不能早于银行受理日期 %(accepted_on)s"),
    "credit_line_expired": _l("授信已于 %(expired_on)s 到期，须重新申请"),
    "no_lpr_for_date": _l("%(day)s 没有适用的 LPR"),
    "rate_above_cap": _l("利率不得超过该期限的 LPR 上限 %(cap)s%%"),
    "loan_not_active": _l("该笔贷款已不在贷（已结清或已关闭）"),
    "empty_repayment": _l("还款本金和利息不能都为零"),
    "overpayment": _l("还款超过应还金额：最多 %(most)s 元"),
    "invalid_date": _l("日期须在贷款存续期内（%(disbursed_on)s 放款）"),
    "stale_status_report": _l("统计日期早于该笔贷款上一次报送或放款的日期"),
    "dpd_exceeds_age": _l("%(as_of)s 该笔贷款最多逾期 %(most)s 天（首个还款日为 %(first_due_on)s）"),
    "diversion_already_reported": _l("该笔贷款已登记挪用"),
    "already_extended": _l("每笔贷款只能展期一次"),
    "extension_too_long": _l("展期期限为 1 至 %(most)s 个月"),
    "extension_after_maturity": _l("展期须在贷款到期日（%(maturity_on)s）之前办理"),
    "replacement_incomplete": _l("更正报送须同时填写统计日期和逾期天数"),
    "status_report_not_found": _l("该贷款没有这条报送记录"),
    "report_already_superseded": _l("这条报送记录已被更正过"),
}
