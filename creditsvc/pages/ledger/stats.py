"""台账统计表: a range of months by bank and by town, as a page and as xlsx.

A fund manager sees the whole book and the fund at the range's end; a bank its own bank's
rows (its book in each town) and no fund figures. Months default to the business date's. The
month running is read from its snapshot, which the page says when was taken; a fund manager
takes it again with one button (the monthly snapshot job, whose page shows its progress).
"""

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _

from creditsvc.core.errors import AppError
from creditsvc.core.money import from_fen
from creditsvc.infra import clock
from creditsvc.infra.extensions import db
from creditsvc.jobs.kinds import MONTHLY_SNAPSHOT
from creditsvc.pages.access import actor, page_roles
from creditsvc.pages.labels import label
from creditsvc.pages.ledger import sheets
from creditsvc.pages.ledger.routes import bp
from creditsvc.pages.once import act_once, new_token
from creditsvc.pages.validation import form_to_data, load_form, refusal_errors
from creditsvc.schemas.ledger import StatQuerySchema
from creditsvc.services.fund.snapshots import month_of
from creditsvc.services.ledger.stats import StatTable, stat_table
from creditsvc.services.platform import jobs

ROLES = ("fund_manager", "bank")


def _table() -> tuple[StatTable | None, dict, dict]:
    """(the table, or None; the form's errors; the months asked) from the address."""
    raw = form_to_data(request.args)
    query, errors = load_form(StatQuerySchema(), raw)
    current = month_of(clock.today())
    months = {"first": (query or {}).get("first") or current,
              "last": (query or {}).get("last") or current}
    if query is None:
        return None, errors, {**months, **raw}
    try:
        return stat_table(db.session, actor(), months["first"], months["last"],
                          today=clock.today()), {}, months
    except AppError as exc:
        return None, refusal_errors(exc), months


@bp.get("/stats")
@page_roles(*ROLES)
def stats():
    """台账统计表: cumulative and new lending, balance and its changes, counts, claims and
    recoveries, by bank and by town, over the months asked."""
    table, errors, months = _table()
    return render_template("ledger/stats.html", table=table, errors=errors, months=months,
                           today=clock.today(), token=new_token()), 200 if not errors else 422


@bp.post("/stats/refresh")
@page_roles("fund_manager")
def refresh():
    """Take the month running's snapshot again, as a job; its page shows the progress."""
    month = month_of(clock.today())

    def work(session) -> str:
        job = jobs.submit(session, actor(), MONTHLY_SNAPSHOT, {"month": month})
        return url_for("job_pages.show", job_id=job.id)

    location, _replayed = act_once(request.path, request.form.get("form_token"),
                                   {"month": month}, work)
    return redirect(location)


def fund_lines(table: StatTable) -> list[str]:
    """The fund at the range's end, as heading lines of the xlsx (fund manager only)."""
    if table.fund is None:
        return []
    f = table.fund
    leverage = "—" if f.leverage is None else f"{f.leverage:.2f}"
    return [_("期末基金余额 %(balance)s 元；资本金 %(capital)s 元；担保余额 %(out)s 元；"
              "放大倍数 %(leverage)s；期间基金回收份额 %(share)s 元",
              balance=f"{from_fen(f.balance_fen):,.2f}", capital=f"{from_fen(f.capital_fen):,.2f}",
              out=f"{from_fen(f.outstanding_fen):,.2f}", leverage=leverage,
              share=f"{from_fen(f.fund_recoveries_fen):,.2f}")]


@bp.get("/stats.xlsx")
@page_roles(*ROLES)
def stats_export():
    """The 台账统计表 of the months asked, as xlsx: title, range, who and when above it."""
    table, errors, _months = _table()
    if table is None:
        return stats()
    who = actor()
    heading = [_("扶贫小额信贷台账统计表"),
               _("统计区间：%(first)s 至 %(last)s（%(start)s 至 %(end)s）", first=table.first,
                 last=table.last, start=table.start.isoformat(), end=table.end.isoformat())]
    if who.role == "bank":
        heading.append(_("贷款机构：%(bank)s", bank=label("bank", who.bank_code)))
    if table.missing:
        heading.append(_("以下月份无快照，相关数字记为“—”：%(months)s",
                         months="、".join(table.missing)))
    heading += [*fund_lines(table), sheets.who_when(who)]
    return sheets.xlsx(f"ledger-stats-{table.first}-{table.last}.xlsx", sheets.stat_columns(),
                       sheets.stat_rows(table), _("台账统计表"), heading)

