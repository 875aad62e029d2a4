"""Refusals of the village campaign: its steps in order, the committee's views, 公示 and objections."""

from flask_babel import lazy_gettext as _l

TEXTS = {
    "campaign_not_found": _l("没有找到这个评级活动"),
    "campaign_outside_area": _l("%(area)s 不在您的工作区域内"),
    "campaign_area_busy": _l("%(area)s 已有进行中的评级活动 %(number)s，请先完成或撤销"),
    "campaign_no_households": _l("%(area)s 没有愿意贷款的已调查农户，请先导入调查表"),
    "campaign_not_open": _l("评级活动 %(number)s 已评级，不能再次评级"),
    "campaign_not_rated": _l("评级活动 %(number)s 不在评议阶段：村委会意见只能在评级完成后、公示开始前录入"),
    "campaign_not_in_notice": _l("评级活动 %(number)s 不在公示阶段"),
    "campaign_granted": _l("评级活动 %(number)s 已授信"),
    "campaign_closed": _l("评级活动 %(number)s 已结束，不能撤销"),
    "committee_views_missing": _l("还有 %(count)s 户没有村委会意见，不能开始公示"),
    "committee_views_invalid": _l("村委会意见有 %(count)s 户填写有误，均未保存，请按提示修改"),
    "committee_view_unknown": _l("意见须为 同意、不同意 或 降低额度"),
    "committee_line_required": _l("降低额度须填写新的额度"),
    "committee_line_not_lower": _l("新的额度须大于 0 且低于评级额度 %(line)s 元"),
    "committee_line_only_lower": _l("只有选择“降低额度”时才填写额度"),
    "committee_note_required": _l("不同意或降低额度须写明理由"),
    "committee_note_too_long": _l("说明最多 %(most)s 字"),
    "committee_household_unknown": _l("该户不在本次评级名单上"),
    "committee_file_invalid": _l("文件无法读取：请上传从本活动下载的 xlsx 名单（%(reason)s）"),
    "notice_not_ended": _l("公示期至 %(until)s，公示结束后才能授信"),
    "objections_open": _l("还有 %(count)s 条异议未处理，不能授信"),
    "objection_not_found": _l("没有找到这条异议"),
    "objection_resolved": _l("这条异议已处理"),
    "objection_needs_household": _l("这条异议没有指明农户，只能驳回"),
    "objection_line_invalid": _l("调整后的额度须大于 0 且不超过公示额度 %(line)s 元"),
}
