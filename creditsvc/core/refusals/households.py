"""Refusals about household files, assessments, the policy and the scoring models."""

from flask_babel import lazy_gettext as _l

TEXTS = {
    "household_not_found": _l("没有找到这个户档案"),
    "duplicate_household": _l("已有此身份证号的户档案"),
    "lifted_year_required": _l("已脱贫户须填写脱贫年份"),
    "member_not_found": _l("本户没有这位成员（第 %(position)s 位）：请从户档案重新打开编辑"),
    "member_in_use": _l("第 %(position)s 位成员是申请、调查、评级或授信中的贷款人，不能删除"),
    "invalid_id_number": _l("身份证号不正确"),
    "id_number_shape": _l("身份证号为 17 位数字加一位校验码（数字或 X）"),
    "id_number_region": _l("身份证号的地区码不正确"),
    "id_number_birth": _l("身份证号中的出生日期不正确"),
    "id_number_check": _l("身份证号校验位不正确，请核对"),
    "mobile_format": _l("手机号须为 11 位，以 13–19 开头"),
    "name_format": _l("姓名为 1 到 30 个汉字或字母"),
    "date_in_future": _l("日期不能晚于今天（%(today)s）"),
    "holdout_missing": _l("还没有可比较的留出样本：请在同一份有标签的留出样本上评估两个模型，或强制提升"),
    "challenger_worse": _l(
        "在同一留出样本上，挑战者 AUC %(mine)s 低于在用模型 AUC %(theirs)s；如仍要提升请选择强制"),
    "no_champion_model": _l("尚无在用的评分卡，请先提升一个模型"),
    "policy_not_found": _l("没有第 %(version)s 版政策"),
    "invalid_policy": _l("政策参数不成立，未保存：%(reason)s"),
    "policy_value_list": _l("%(path)s：须为列表"),
    "policy_value_decimal": _l('%(path)s：须为小数，例如 "0.05" 或 "50000"'),
    "policy_value_whole": _l("%(path)s：须为整数"),
    "policy_value_date": _l("%(path)s：日期格式为 年-月-日"),
    "model_not_found": _l("没有找到模型 %(version)s"),
    "invalid_model": _l("模型文件无效：%(reason)s"),
    "replay_unavailable": _l("无法重放该评估：%(reason)s"),
    "snapshot_month_invalid": _l("月份格式为 年-月，例如 2026-03"),
    "snapshot_month_closed": _l("只能为本月或上月生成快照（%(open)s）；%(month)s 的账面状态未保留"),
}
