"""Refusals of exports and of the loans coming due."""

from flask_babel import lazy_gettext as _l

TEXTS = {
    "export_list_unknown": _l("没有这个可导出的列表"),
    "export_role_forbidden": _l("您的角色不能导出这个列表"),
    "export_reveal_forbidden": _l("您的角色不能在导出中显示完整个人信息"),
    "export_reveal_reason_required": _l("显示完整个人信息须填写理由（至少 %(least)s 个字）"),
    "coming_due_unknown": _l("到期列表只有“即将到期”和“刚到期未还”两种"),
}
