"""The book's other lists that export: applications, claims and the fund's ledger.

Each reads its list's own service SELECT (`loans.applications.applications_query`,
`fund.claims.claims_query`, `fund.account.ledger_query`) with the export's columns, in the
list's order.
"""

from decimal import Decimal
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from creditsvc.core.labels import label
from creditsvc.infra.clock import COUNTY
from creditsvc.services.exports.fields import (
    HEAD,
    ID_NUMBER,
    ExportList,
    Field,
    Labelled,
    day,
    local,
    money,
)
from creditsvc.services.fund.account import ledger_query
from creditsvc.services.fund.claims import claims_query
from creditsvc.services.fund.reports import exposure_report
from creditsvc.services.loans.applications import applications_query
from creditsvc.services.loans.bank_desk import QueueFilters, queue_query
from models import Application, Claim, Household, JournalEntry, Loan, Posting

OFFICER, BANK, FUND = "officer", "bank", "fund_manager"


def _applications(session, actor, f, today):
    f = {**f, **{k: day(f[k]) for k in ("submitted_from", "submitted_to") if f.get(k)}}
    return applications_query(actor, **f).join(Household, Household.id == Application.household_id)


def _queue(session, actor, f, today):
    """待受理: amounts carried as text by a job, dates as ISO text, the page's time zone."""
    f = dict(f)
    zone = ZoneInfo(f.pop("tz")) if f.get("tz") else COUNTY
    f = {**f, **{k: Decimal(f[k]) for k in ("amount_min", "amount_max") if f.get(k)},
         **{k: day(f[k]) for k in ("submitted_from", "submitted_to") if f.get(k)}}
    return (queue_query(actor, QueueFilters(**f), zone)
            .join(Household, Household.id == Application.household_id))


def _claims(session, actor, f, today):
    return claims_query(actor, **f).join(Loan, Loan.id == Claim.loan_id)


def _ledger(session, actor, f, today):
    return ledger_query(**{k: day(v) if k in ("start", "end") else v for k, v in f.items()})


# How the exposure's keys read, by dimension (a town, a village: as they are).
KEY_LABELS = {"bank": "bank", "purpose": "purpose", "classification": "class", "grade": "grade"}


def _exposure(session, actor, f, today):
    """The exposure report's breakdown, as the fund's overview shows it: a row per key."""
    report = exposure_report(session)
    return [(label("dimension", dim), label(KEY_LABELS[dim], row["key"]) if dim in KEY_LABELS
             else row["key"], row["loans"], money(row["outstanding_fen"]), row["share"])
            for dim, rows in report.breakdown.items() for row in rows]


# What an entry moved into (+) or out of (-) the fund's cash, as the ledger page shows it.
CASH = (select(func.coalesce(func.sum(Posting.amount_fen), 0))
        .where(Posting.entry_id == JournalEntry.id, Posting.account == "fund_cash")
        .correlate(JournalEntry).scalar_subquery())

APPLICATION_FIELDS = (
    Field(_l("申请编号"), "text", Application.number), HEAD, ID_NUMBER,
    Field(_l("乡镇"), "text", Application.town), Field(_l("村"), "text", Application.village),
    Field(_l("贷款机构"), "text", Application.bank_code, Labelled("bank")),
    Field(_l("申请金额"), "money", Application.amount_fen, money),
    Field(_l("核准金额"), "money", Application.approved_amount_fen, money),
    Field(_l("期限（月）"), "int", Application.term_months),
    Field(_l("用途"), "text", Application.purpose, Labelled("purpose")),
    Field(_l("等级"), "text", Application.grade),
    Field(_l("状态"), "text", Application.status, Labelled("application_status")),
    Field(_l("提交时间"), "datetime", Application.created_at, local),
)

BOOK_LISTS = (
    ExportList("applications", _l("贷款申请"), frozenset({OFFICER, BANK, FUND}), APPLICATION_FIELDS,
               _applications, (Application.created_at.desc(), Application.id.desc()), {
        "status": (_l("状态"), "application_status"), "bank": (_l("贷款机构"), "bank"),
        "town": (_l("乡镇"), None), "submitted_from": (_l("提交日期自"), None),
        "submitted_to": (_l("提交日期至"), None), "number": (_l("申请编号"), None)}),
    ExportList("bank_queue", _l("待受理"), frozenset({BANK}), APPLICATION_FIELDS, _queue,
               (Application.created_at, Application.id), {
                   "town": (_l("乡镇"), None), "grade": (_l("等级"), None),
                   "amount_min": (_l("核准金额不低于"), None), "amount_max": (_l("核准金额不高于"), None),
                   "submitted_from": (_l("提交日期自"), None), "submitted_to": (_l("提交日期至"), None)}),
    ExportList("claims", _l("代偿"), frozenset({BANK, FUND}), (
        Field(_l("贷款编号"), "text", Loan.number),
        Field(_l("贷款机构"), "text", Claim.bank_code, Labelled("bank")),
        Field(_l("状态"), "text", Claim.status, Labelled("claim_status")),
        Field(_l("逾期天数"), "int", Claim.days_past_due),
        Field(_l("申报金额"), "money", Claim.filed_amount_fen, money),
        Field(_l("代偿金额"), "money", Claim.amount_fen, money),
        Field(_l("申报时间"), "datetime", Claim.filed_at, local),
        Field(_l("审批时间"), "datetime", Claim.decided_at, local),
        Field(_l("理由"), "text", Claim.reason),
    ), _claims, (Claim.filed_at.desc(), Claim.id), {"status": (_l("状态"), "claim_status")}),
    ExportList("ledger", _l("基金台账"), frozenset({FUND}), (
        Field(_l("日期"), "date", JournalEntry.effective_on),
        Field(_l("类别"), "text", JournalEntry.kind, Labelled("entry_kind")),
        Field(_l("基金现金变动"), "money", CASH, money),
        Field(_l("说明"), "text", JournalEntry.memo),
        Field(_l("记账时间"), "datetime", JournalEntry.occurred_at, local),
    ), _ledger, (JournalEntry.occurred_at.desc(), JournalEntry.id), {
        "kind": (_l("类别"), "entry_kind"), "start": (_l("日期自"), None),
        "end": (_l("日期至"), None)}),
    ExportList("exposure", _l("担保余额分布"), frozenset({FUND}), (
        Field(_l("维度"), "text", None), Field(_l("分组"), "text", None),
        Field(_l("笔数"), "int", None), Field(_l("贷款余额"), "money", None),
        Field(_l("占比"), "percent", None),
    ), None, (), rows=_exposure),
)
