"""政策, the programme's policy: the version in force, its history, each version's changes, an edit.

A change makes a new version (services/programme/policy.change_policy, as PUT /api/v1/policy); old
versions are never edited. The form offers the single values; the lists (grade bands, LPR
table, bank shares, purposes) are shown and changed through the API, where their shape is
checked as a whole.
"""

import dataclasses
import typing

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError
from sqlalchemy import select

from creditsvc.core.errors import AppError
from creditsvc.core.refusals import shown
from creditsvc.infra.extensions import db
from creditsvc.pages.access import actor, page_roles
from creditsvc.pages.fund.overview import bp
from creditsvc.pages.fund.policy_words import note_words, worded
from creditsvc.pages.validation import field_errors, refusal_errors
from creditsvc.schemas.policy import PolicyChangeSchema
from creditsvc.services.platform.uow import UnitOfWork
from creditsvc.services.programme import policy as svc
from models import PolicyVersion, User
from scoring.policy import Policy

NAMES = {
    "effective_from": _l("生效日期"), "amount_min": _l("单笔最低金额（元）"),
    "amount_max": _l("单笔最高金额（元）"), "term_min": _l("最短期限（月）"),
    "term_max": _l("最长期限（月）"), "household_cap": _l("每户贷款余额上限（元）"),
    "age_min": _l("借款人最低年龄"), "age_max": _l("借款人最高年龄"),
    "eligible_statuses": _l("可贷户类"), "allowed_purposes": _l("允许用途"),
    "banned_purposes": _l("禁止用途"), "grade_bands": _l("信用等级与授信额度"),
    "grey_pd_low": _l("人工复核违约概率下限"), "grey_pd_high": _l("人工复核违约概率上限"),
    "shock_lookback_days": _l("返贫风险回看天数"),
    "lpr_table": _l("贷款市场报价利率（LPR）"), "credit_line_years": _l("授信有效年数"),
    "notice_days": _l("公示天数"),
    "interest_subsidy_share": _l("贴息比例"), "fund_capital": _l("风险补偿金规模（元）"),
    "leverage": _l("放大倍数"), "bank_shares": _l("各行额度占比"),
    "fund_loss_share": _l("基金分担比例"), "claim_trigger_dpd": _l("代偿触发逾期天数"),
    "npl_tolerance": _l("不良率容忍度"), "balance_floor_share": _l("余额下限（占注资）"),
    "max_extension_months": _l("最长展期（月）"), "asset_correlation": _l("压力测试资产相关性"),
}
HINTS = typing.get_type_hints(Policy)
# The single values the form offers; lists keep to the API.
SCALARS = tuple(f.name for f in dataclasses.fields(Policy)
                if f.name != "version" and typing.get_origin(HINTS[f.name]) is not tuple)


def changes_between(before: dict | None, after: dict) -> list[tuple[str, object, object]]:
    """(field, before, after) of each value that differs (every value for the first version)."""
    return [(name, (before or {}).get(name), value) for name, value in after.items()
            if name != "version" and (before is None or before.get(name) != value)]


@bp.get("/policy")
@page_roles("fund_manager")
def policy():
    """The policy in force and every version's changes, newest first."""
    rows = db.session.execute(select(PolicyVersion, User.name).outerjoin(
        User, User.id == PolicyVersion.created_by).order_by(PolicyVersion.version)).all()
    history, before = [], None
    for row, who in rows:
        changes = [(name, worded(name, old), worded(name, new))
                   for name, old, new in changes_between(before, row.body)]
        history.append((row, who, note_words(row.note), changes))
        before = row.body
    current = svc.active_policy(db.session).to_dict()
    values = [(name, worded(name, value)) for name, value in current.items() if name != "version"]
    return render_template("fund/policy.html", current=current, values=values,
                           history=history[::-1], names=NAMES)


def _field_errors(messages: dict) -> dict[str, list[str]]:
    """The schema's `changes` messages under each changed value's name (a message's `path`)."""
    out: dict[str, list[str]] = {}
    changes = messages.get("changes", [])
    if isinstance(changes, dict):  # the keys' own messages (an unknown name)
        changes = [m for ms in field_errors(changes).values() for m in ms]
    for message in changes:
        path = getattr(message, "params", {}).get("path")
        out.setdefault(path if path in SCALARS else "_form", []).append(shown(message))
    if "note" in messages:
        out["note"] = [shown(m) for m in messages["note"]]
    return out


@bp.route("/policy/edit", methods=["GET", "POST"])
@page_roles("fund_manager")
def policy_edit():
    """Make a new version from the one in force with the values changed here."""
    current = svc.active_policy(db.session).to_dict()
    values, errors = {name: current[name] for name in SCALARS}, {}
    if request.method == "POST":
        posted = {name: request.form.get(name, "").strip() for name in SCALARS}
        changes = {}
        for name, text in posted.items():
            if text != str(current[name]):
                changes[name] = int(text) if HINTS[name] is int and text.lstrip("-").isdigit() \
                    else text
        values.update(posted)
        note = request.form.get("note", "").strip() or None
        if not changes:
            errors = {"_form": [_("没有修改任何数值。")]}
        else:
            try:
                data = PolicyChangeSchema().load({"changes": changes, "note": note} if note
                                                 else {"changes": changes})
            except ValidationError as exc:
                errors = _field_errors(exc.messages)
            else:
                try:
                    with UnitOfWork(db.session) as uow:
                        new = svc.change_policy(uow.session, actor(), data["changes"],
                                                data.get("note"))
                        uow.commit()
                except AppError as exc:
                    errors = refusal_errors(exc)
                else:
                    flash(_("已生成政策第 %(v)s 版。", v=new.version), "success")
                    return redirect(url_for("fund_office.policy"))
    return render_template("fund/policy_edit.html", values=values, errors=errors, names=NAMES,
                           scalars=SCALARS, note=request.form.get("note", "")), \
        422 if errors else 200

