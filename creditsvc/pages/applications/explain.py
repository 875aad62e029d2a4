"""Reasons a household can be told, worded at display time from the stored assessment.

scoring/ stores codes and values (a rule's missing fields, a feature's value and its band's
label); this module turns them into sentences, so that an old assessment replays unchanged and
still reads well. Members have no names in the file: a member is named by relation and birth year.
"""

import re
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from creditsvc.pages.formatting import yuan
from creditsvc.pages.labels import label

# The household-file fields a rule can find missing (scoring/rules.py missing_fields).
FILE_FIELDS = {
    "borrower_birth_date": _l("借款人出生日期"), "borrower_labour_capable": _l("借款人劳动能力"),
    "status": _l("户类型"), "per_capita_income": _l("人均纯收入"),
    "productive_assets": _l("生产性资产"), "outside_debt": _l("外债"),
    "skills_training": _l("是否参加过技能培训"), "cooperative_member": _l("是否合作社成员"),
    "income_sources": _l("收入来源"),
}
# The unit a numeric feature is counted in; ratios are shown as percentages.
UNITS = {"borrower_age": _l("%(n)s 岁"), "labour_members": _l("%(n)s 人"),
         "income_sources_count": _l("%(n)s 项"), "term_months": _l("%(n)s 个月"),
         "past_worst_dpd": _l("%(n)s 天"), "recent_shocks": _l("%(n)s 次"),
         "guarantees_met": _l("%(n)s 项")}
MONEY = ("per_capita_income", "productive_assets", "outside_debt")
RATIOS = ("dependants_ratio", "loan_to_income", "health_burden")
YES_NO = ("skills_training", "cooperative_member")
CATEGORIES = {"purpose": "purpose", "status": "status", "main_income_source": "income_source"}
_MEMBER = re.compile(r"^members\[(\d+)\]\.(\w+)$")
_BAND = re.compile(r"^(?:< (?P<lt>\S+)|>= (?P<ge>\S+)|\[(?P<lo>[^,]+), (?P<hi>[^)]+)\))$")


def quantity(feature: str, value) -> str:
    """A feature's number in its own unit: ¥, people, months, percent."""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    if feature in MONEY:
        return yuan(number)
    if feature in RATIOS:
        return f"{number * 100:.0f}%"
    text = f"{number.normalize():f}" if number == number.to_integral() else f"{number:.1f}"
    return str(UNITS[feature]) % {"n": text} if feature in UNITS else text


def value_words(feature: str, value) -> str:
    """The household's value of a feature, in words and units."""
    if value is None or value != value:
        return _("无记录")
    if feature in CATEGORIES:
        return label(CATEGORIES[feature], value)
    if feature in YES_NO:
        return _("是") if float(value) >= 1 else _("否")
    return quantity(feature, value)


def band_words(feature: str, band: str) -> str | None:
    """A band's bounds in the feature's unit ('< 28' → '低于 28 岁'); None when not a range."""
    found = _BAND.match(band or "")
    if not found or feature in YES_NO:
        return None
    if found["lt"]:
        return _("低于 %(v)s", v=quantity(feature, found["lt"]))
    if found["ge"]:
        return _("%(v)s及以上", v=quantity(feature, found["ge"]))
    return _("%(lo)s 至 %(hi)s", lo=quantity(feature, found["lo"]), hi=quantity(feature, found["hi"]))


def reason_text(reason: dict, lines: dict, feature_label) -> str:
    """A score reason: the feature's words, the household's value, the band it fell in."""
    feature = reason.get("feature", "")
    line = lines.get(feature, {})
    raw = line.get("value")
    if raw is None or raw != raw:  # NaN too: the file has no value for it
        return _("%(name)s无记录，拉低了评分", name=feature_label(feature))
    name, value = feature_label(feature), value_words(feature, raw)
    band = band_words(feature, line.get("bin", ""))
    if band:
        return _("%(name)s为 %(value)s（处于 %(band)s 一档），拉低了评分",
                 name=name, value=value, band=band)
    return _("%(name)s为 %(value)s，拉低了评分", name=name, value=value)


def member_words(members: list, index: int) -> str:
    """A member named without personal data: 成员 2（配偶，1985 年生）."""
    member = members[index] if 0 <= index < len(members) else {}
    born = (member.get("birth_date") or "")[:4]
    relation = label("relation", member.get("relation"))
    if born:
        return _("成员 %(n)s（%(relation)s，%(year)s 年生）", n=index + 1, relation=relation,
                 year=born)
    return _("成员 %(n)s（%(relation)s）", n=index + 1, relation=relation)


def missing_words(code: str, members: list) -> str:
    """One missing field of the file as a sentence: '成员 1（配偶）的劳动能力未填'."""
    found = _MEMBER.match(code)
    if found:
        return _("%(member)s的劳动能力未填", member=member_words(members, int(found[1])))
    if code.startswith("guarantees."):
        return _("“%(item)s”未填", item=label("guarantee", code.split(".", 1)[1]))
    return _("%(field)s未填", field=FILE_FIELDS.get(code, code))


def rule_details(rule: dict, inp: dict) -> list[str]:
    """The facts behind a rule that did not pass, from the value the rule recorded."""
    rid, value, outcome = rule.get("id"), rule.get("value"), rule.get("outcome")
    if outcome == "pass":
        return []
    if rid == "file_complete":
        members = inp.get("household", {}).get("members", [])
        return [missing_words(code, members) for code in value or []]
    if rid == "recent_shock":
        return [_("近期事件：%(kinds)s", kinds="、".join(label("event_kind", k) for k in value or []))]
    if rid == "labour_capacity" and isinstance(value, dict):
        borrower = value.get("borrower")
        capable = _("未填") if borrower is None else label("yes_no", bool(borrower))
        return [_("借款人有劳动能力：%(v)s；家庭劳动力 %(n)s 人", v=capable,
                  n=value.get("labour_members", 0))]
    if rid == "borrower_age":
        return [_("借款人出生日期未填") if value is None else _("借款人 %(n)s 岁", n=value)]
    if rid == "household_status":
        return [_("户类型：%(v)s", v=_("未填") if value is None else label("status", value))]
    if rid == "no_overdue_loan":
        return [_("有 %(n)s 笔贷款逾期未还", n=value)]
    if rid == "amount_bounds":
        return [_("申请金额：%(v)s", v=yuan(value))]
    if rid == "household_cap":
        return [_("家庭贷款余额加本笔：%(v)s", v=yuan(value))]
    if rid == "term_bounds":
        return [_("申请期限：%(n)s 个月", n=value)]
    if rid == "purpose_allowed":
        return [_("申请用途：%(v)s", v=label("purpose", value))]
    return []
