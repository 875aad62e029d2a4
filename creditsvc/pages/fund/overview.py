"""总览, the fund office's overview: the same figures as GET /fund and /fund/exposure, on one page.

The handler reads the two services the API answers with (fund_view, exposure_report), so the
page and the API cannot disagree; this module only shapes their figures for charts.
"""

import json
from decimal import Decimal

from flask import Blueprint, render_template
from flask_babel import gettext as _

from creditsvc.core.money import from_fen
from creditsvc.infra.extensions import db
from creditsvc.pages.access import page_roles
from creditsvc.pages.labels import label
from creditsvc.services.fund import account as fund_svc
from creditsvc.services.fund import reports as fund_reports
from creditsvc.services.fund import snapshots
from creditsvc.services.fund.rules import rules_for
from lending import fund as fund_rules

bp = Blueprint("fund_office", __name__, url_prefix="/fund")

# Which label list names each breakdown's keys (village names are shown as they are).
DIMENSION_LABELS = {"bank": "bank", "grade": "grade", "purpose": "purpose",
                    "classification": "class", "town": None, "village": None}
VILLAGES_SHOWN = 15


def _share(part: int, whole: int) -> float:
    return float(Decimal(part) / whole) if whole else 0.0


def category(kind: str | None, key) -> str:
    """A breakdown key in words; a loan with no grade is 未评级 (its application was referred)."""
    if kind == "grade" and key is None:
        key = "unrated"
    return label(kind, key) if kind else (key or _("未填"))


def breakdown_chart(rows: list[dict], kind: str | None, title: str, limit: int = 0) -> str:
    """A bar chart's data attribute for one breakdown of the outstanding principal."""
    rows = rows[:limit] if limit else rows
    return json.dumps({"kind": "bars", "label": title,
                       "categories": [category(kind, r["key"]) for r in rows],
                       "values": [float(from_fen(r["outstanding_fen"])) for r in rows]},
                      ensure_ascii=False)


def _lines(months: list[str], series: list[tuple[str, list]], ratio: bool = False) -> str:
    return json.dumps({"kind": "lines", "months": months, "series": [
        {"name": name, "values": values, "ratio": ratio} for name, values in series]},
        ensure_ascii=False)


def trend_charts(points: list[snapshots.TrendPoint]) -> tuple[str, str]:
    """From the monthly snapshots: the amounts (outstanding, claims, recoveries, balance) and
    the ratios (NPL, PAR30, PAR90, in %), month by month."""
    months = [p.snapshot.month for p in points]

    def yuan(fen: int) -> float:
        return float(from_fen(fen))

    def percent(value) -> float | None:
        return None if value is None else float(value * 100)

    amounts = _lines(months, [
        (_("担保余额"), [yuan(p.snapshot.outstanding_fen) for p in points]),
        (_("当月代偿（净）"), [yuan(p.net_claims_paid_fen) for p in points]),
        (_("当月回收（基金份额）"), [yuan(p.snapshot.fund_recoveries_fen) for p in points]),
        (_("月末基金余额"), [yuan(p.snapshot.balance_fen) for p in points])])
    ratios = _lines(months, [(_("不良率"), [percent(p.npl_ratio) for p in points]),
                             ("PAR30", [percent(p.par30) for p in points]),
                             ("PAR90", [percent(p.par90) for p in points])], ratio=True)
    return amounts, ratios


def ledger_chart(history: list[dict]) -> str:
    """Before any snapshot: claims paid, recoveries and the closing balance from the ledger."""
    months = [m["month"] for m in history]
    return _lines(months, [(name, [float(from_fen(m[key])) for m in history]) for name, key in (
        (_("代偿支出"), "claims_paid_fen"), (_("追偿回收"), "recoveries_fen"),
        (_("月末余额"), "closing_balance_fen"))])


@bp.get("")
@page_roles("fund_manager")
def overview():
    """Balance, leverage use, each bank's allocation, NPL and PAR, suspension, exposure."""
    rules = rules_for(db.session)
    fund = fund_svc.fund_view(db.session, rules)
    exposure = fund_reports.exposure_report(db.session)
    leverage = json.dumps({"kind": "share", "label": _("杠杆使用率"),
                           "value": _share(fund.guaranteed_outstanding_fen, fund.leverage_cap_fen)})
    charts = {dim: breakdown_chart(exposure.breakdown[dim], kind, label("dimension", dim),
                                   VILLAGES_SHOWN if dim == "village" else 0)
              for dim, kind in DIMENSION_LABELS.items()}
    points = snapshots.trend(db.session)
    trend = trend_charts(points) if points else None
    return render_template(
        "fund/overview.html", fund=fund, exposure=exposure, rules=rules, leverage=leverage,
        charts=charts, trend=trend, category=category, kinds=DIMENSION_LABELS,
        ledger_trend=ledger_chart(exposure.history),
        snapshot_months=len(points), villages_shown=VILLAGES_SHOWN,
        floor_fen=int(fund.capital_fen * rules.balance_floor_share),
        reasons_known=(fund_rules.NOT_INITIALISED, fund_rules.NPL_TOLERANCE_REACHED,
                       fund_rules.BALANCE_BELOW_FLOOR))
