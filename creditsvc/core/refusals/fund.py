"""Refusals about the guarantee fund: capital, exposure, the ledger, claims and recoveries."""

from flask_babel import lazy_gettext as _l

TEXTS = {
    "invalid_amount": _l("初始资本金须为正数"),
    "fund_already_initialised": _l("基金已有资本金 %(capital)s 元：请以注资追加，不能再次初始化"),
    "fund_exhausted": _l("基金余额不足以支付此笔代偿"),
    "entry_not_found": _l("没有找到这笔账目"),
    "not_reversible": _l("此类记录不能手工冲正"),
    "reversal_of_reversal": _l("冲正记录不能再冲正，请另行登记"),
    "already_reversed": _l("该记录已冲正"),
    "claim_exists": _l("该笔贷款已申报代偿"),
    "not_in_default": _l("贷款须在贷且逾期达到 %(trigger)s 天才能代偿（该笔现逾期 %(dpd)s 天）"),
    "nothing_to_claim": _l("该笔贷款已无可代偿金额"),
    "claim_not_found": _l("没有找到该代偿申请"),
    "claim_not_filed": _l("该代偿申请已处理过（已支付或已拒绝）"),
    "claim_already_reversed": _l("该笔代偿已冲正"),
    "claim_not_paid": _l("只有已支付的代偿才能冲正；待审批的代偿请直接拒绝"),
    "claim_has_recoveries": _l("该笔代偿之后已登记 %(count)s 笔追偿回收，请先更正回收记录再冲正"),
    "loan_not_claimed": _l("只有基金已代偿的贷款才能登记追偿或冲正代偿"),
    "before_claim_paid": _l("追回日期不能早于代偿支付日期 %(paid_on)s"),
    "leverage_cap_reached": _l("放款将超过风险补偿金的放大倍数上限（资本金×杠杆），待基金注资后再办理"),
    "bank_capacity_reached": _l("放款将超过 %(bank)s 在风险补偿金中的分配额度，暂不能放款"),
}
