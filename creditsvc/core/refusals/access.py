"""Refusals about users, roles, banks, passwords and sign-in."""

from flask_babel import lazy_gettext as _l

TEXTS = {
    "user_exists": _l("用户 %(name)s 已存在"),
    "user_revoked": _l("用户 %(name)s 已停用"),
    "user_not_found": _l("没有找到用户 %(name)s"),
    "key_not_found": _l("没有找到该 API 密钥"),
    "unknown_role": _l("角色须为以下之一：%(roles)s"),
    "bank_binding": _l("银行用户须选择所属银行，其他角色不能选择银行"),
    "unknown_bank": _l("没有合作银行 %(bank)s"),
    "username_format": _l("用户名为 2 到 63 个小写字母、数字或 . _ -，以字母或数字开头"),
    "password_too_short": _l("密码至少 %(least)s 位"),
    "password_too_long": _l("密码最多 %(most)s 位"),
    "password_too_simple": _l("密码须同时包含字母和数字"),
    "password_contains_username": _l("密码不能包含用户名"),
    "passwords_differ": _l("两次输入的新密码不一致"),
    "password_unchanged": _l("新密码不能与当前密码相同"),
    "wrong_password": _l("当前密码不正确"),
    "unknown_town": _l("本区没有乡镇 %(town)s"),
    "invalid_village": _l("村名最多 %(most)s 个字"),
    "not_an_officer": _l("只有专干才有工作区域"),
    "reviewer_is_submitter": _l("提交人不能复核自己提交的申请，请由其他专干复核"),
}
