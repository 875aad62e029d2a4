"""A policy's values as the fund office reads them: labels, percentages, yuan, and tables.

The stored body keeps codes and decimal strings (it is what replay reads); the page words them.
"""

from flask_babel import lazy_gettext as _l

from creditsvc.pages.formatting import day, pct, yuan
from creditsvc.pages.labels import label

MONEY = ("amount_min", "amount_max", "household_cap", "fund_capital")
RATIOS = ("grey_pd_low", "grey_pd_high", "interest_subsidy_share", "fund_loss_share",
          "npl_tolerance", "balance_floor_share", "asset_correlation")
UNITS = {"term_min": _l("%(n)s 个月"), "term_max": _l("%(n)s 个月"),
         "max_extension_months": _l("%(n)s 个月"), "age_min": _l("%(n)s 周岁"),
         "age_max": _l("%(n)s 周岁"), "shock_lookback_days": _l("%(n)s 天"),
         "claim_trigger_dpd": _l("%(n)s 天"), "credit_line_years": _l("%(n)s 年"),
         "notice_days": _l("%(n)s 天"),
         "leverage": _l("%(n)s 倍")}
LISTS = {"eligible_statuses": "status", "allowed_purposes": "purpose", "banned_purposes": "purpose"}
TABLES = {
    "grade_bands": (_l("信用等级"), _l("最低分"), _l("授信额度")),
    "lpr_table": (_l("生效日"), _l("1 年期 LPR"), _l("5 年期 LPR")),
    "bank_shares": (_l("银行"), _l("额度占比")),
}
# Notes written by a migration in English, worded here (the stored rows stay as they are).
NOTES = {"programme defaults (DESIGN.md)": _l("项目初始政策（按项目设计的默认值）")}


def _row(name: str, row: list) -> list[str]:
    if name == "grade_bands":
        return [label("grade", row[0]), str(row[1]), yuan(row[2])]
    if name == "lpr_table":
        return [day(row[0]), pct(row[1]), pct(row[2])]
    return [label("bank", row[0]), pct(row[1])]


def worded(name: str, value) -> dict:
    """{'text': …} for a single value or a list, {'head': […], 'rows': [[…]]} for a table."""
    if value is None:
        return {"text": "—"}
    if name in TABLES:
        return {"head": [str(h) for h in TABLES[name]], "rows": [_row(name, r) for r in value]}
    if name in LISTS:
        return {"text": "、".join(label(LISTS[name], code) for code in value)}
    if name in MONEY:
        return {"text": yuan(value)}
    if name in RATIOS:
        return {"text": pct(value)}
    if name == "effective_from":
        return {"text": day(value)}
    if name in UNITS:
        return {"text": str(UNITS[name]) % {"n": value}}
    return {"text": str(value)}


def note_words(note: str | None) -> str | None:
    """A version's note, a migration's English note in the page's words."""
    return str(NOTES[note]) if note in NOTES else note
