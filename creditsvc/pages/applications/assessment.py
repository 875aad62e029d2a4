"""An assessment (previewed or stored) as the pages show it: gauge, points chart, rules, amount.

The scoring package gives every output; this module only arranges it for the templates and the
charts (plain data; the charts are drawn by static/js/assessment.js, the HTML by templates).
"""

from decimal import Decimal

from flask_babel import get_locale
from flask_babel import gettext as _

from creditsvc.pages.applications.explain import reason_text, rule_details, value_words
from creditsvc.pages.labels import label
from scoring.features import FEATURES
from scoring.policy import Policy

FEATURE_LABELS = {f.name: (f.label_zh, f.label_en) for f in FEATURES}
# A feature whose every band scores the same (满分 0) cannot move the score: not shown.
SCORELESS = 0.005


def _english() -> bool:
    return str(get_locale() or "zh_CN").startswith("en")


def text_of(item: dict) -> str:
    """An output's text in the page's language (scoring writes both)."""
    return item.get("text_en" if _english() else "text_zh") or item.get("text_zh", "")


def feature_label(name: str) -> str:
    """A model feature's name as officers read it."""
    zh, en = FEATURE_LABELS.get(name, (name, name))
    return en if _english() else zh


def feature_value(name: str, value) -> str:
    """The value a feature had, in words and units."""
    return value_words(name, value)


def scoring_points(assessment: dict) -> list[dict]:
    """The stored point lines of the features that can score."""
    return [p for p in assessment.get("points", []) if p.get("max_points", 0) >= SCORELESS]


def grade_bands(policy: Policy) -> list[dict]:
    """The bands of the 0-100 scale, best first: AAA 80-100, AA 70-79, A 60-69, unrated."""
    bands, top = [], 100
    for grade, low, limit in policy.grade_bands:
        bands.append({"grade": grade, "low": low, "high": top, "limit": limit})
        top = low - 1
    bands.append({"grade": "unrated", "low": 0, "high": top, "limit": None})
    return bands


def chart_data(assessment: dict, policy: Policy) -> dict:
    """What static/js/assessment.js draws: the score on its bands, each feature's points."""
    points = scoring_points(assessment)
    return {
        "score": assessment.get("score"),
        "bands": [{"low": b["low"], "high": b["high"], "name": label("grade", b["grade"])}
                  for b in grade_bands(policy)],
        "features": [feature_label(p["feature"]) for p in points],
        "points": [round(p["points"], 2) for p in points],
        "max": [round(p["max_points"], 2) for p in points],
        "labels": {"score": _("得分"), "max": _("满分"), "gauge": _("信用评分")},
    }


def amount_lines(assessment: dict, policy: Policy) -> list[dict]:
    """The amounts the approved amount is the least of, the binding one marked."""
    request = assessment.get("input", {}).get("request", {})
    outstanding = Decimal(assessment.get("input", {}).get("programme_outstanding") or 0)
    limit = assessment.get("limit")
    lines = [(_("申请金额"), Decimal(request["amount"]) if request.get("amount") else None),
             (_("评级授信额度"), Decimal(limit) if limit else None),
             (_("单笔贷款上限"), policy.amount_max),
             (_("家庭剩余可贷额度"), max(policy.household_cap - outstanding, Decimal(0)))]
    approved = assessment.get("approved_amount")
    least = Decimal(approved) if approved else None
    return [{"text": text, "amount": amount, "binding": least is not None and amount == least}
            for text, amount in lines]


def decision_reasons(assessment: dict, rules: list[dict]) -> list[dict]:
    """Each decision reason with the facts behind it (a rule's missing fields, …)."""
    by_id = {r.get("id"): view for r, view in zip(assessment.get("rules", []), rules, strict=True)}
    out = []
    for reason in assessment.get("decision_reasons", []):
        code = reason.get("code", "")
        rule = by_id.get(code[5:]) if code.startswith("rule:") else None
        out.append({"text": text_of(reason), "details": rule["details"] if rule else []})
    return out


def explained(assessment: dict) -> dict:
    """The rules, reasons and points of an assessment in words (no policy needed)."""
    points = [{"label": feature_label(p["feature"]), "value": feature_value(p["feature"], p["value"]),
               "points": p["points"], "max": p["max_points"]}
              for p in scoring_points(assessment)]
    inp = assessment.get("input", {})
    rules = [{"text": text_of(r), "outcome": r["outcome"], "details": rule_details(r, inp)}
             for r in assessment.get("rules", [])]
    lines = {p["feature"]: p for p in assessment.get("points", [])}
    return {"points": points, "rules": rules,
            "reasons": [reason_text(r, lines, feature_label) for r in assessment.get("reasons", [])],
            "decision_reasons": decision_reasons(assessment, rules)}


def assessment_view(assessment: dict, policy: Policy) -> dict:
    """Everything the assessment panel shows, in the page's language."""
    words = explained(assessment)
    rules = words["rules"]
    grade = assessment.get("grade") or "unrated"
    return {
        **words,
        "score": assessment.get("score"), "grade": grade, "pd": assessment.get("pd"),
        "limit": assessment.get("limit"), "decision": assessment.get("decision"),
        "approved_amount": assessment.get("approved_amount"),
        "bands": grade_bands(policy),
        "failed": sum(r["outcome"] == "fail" for r in rules),
        "referred": sum(r["outcome"] == "refer" for r in rules),
        "amounts": amount_lines(assessment, policy),
        "line_expires_on": assessment.get("line_expires_on"),
        "rate_cap": Decimal(assessment["rate_cap"]) * 100 if assessment.get("rate_cap") else None,
        "policy_version": assessment.get("policy_version"),
        "model_sha256": assessment.get("model_sha256"),
        "chart": chart_data(assessment, policy),
    }
