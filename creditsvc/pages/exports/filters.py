"""Each exportable page's filters, read from its address with the page's own schema, as the
keyword arguments its service query takes (JSON, so a job can carry them)."""

import dataclasses

from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate

from creditsvc.infra import clock
from creditsvc.pages.access import actor
from creditsvc.pages.bank.schemas import LoanListQuerySchema as BankLoanQuerySchema
from creditsvc.pages.bank.schemas import QueueQuerySchema
from creditsvc.pages.fund.ledger import LedgerQuerySchema
from creditsvc.pages.households.routes import household_filter
from creditsvc.pages.households.schemas import HouseholdListQuerySchema, LoanListQuerySchema
from creditsvc.pages.validation import load_form
from creditsvc.schemas.applications import ApplicationQuerySchema
from creditsvc.schemas.claims import ClaimQuerySchema
from creditsvc.schemas.lists import CreditRatingQuerySchema, UnborrowedQuerySchema

# A refused filter is named as its list page names it.
FILTER_WORDS = {"class": _l("五级分类"), "classification": _l("五级分类"), "q": _l("贷款编号"),
                "number": _l("贷款编号"), "overdue": _l("逾期"), "status": _l("状态"),
                "town": _l("乡镇"), "village": _l("村"), "grade": _l("等级"), "state": _l("状态"),
                "mine": _l("我建的档"), "has_loan": _l("有在贷"), "risk": _l("返贫风险"),
                "by": _l("查找"), "key": _l("查找"), "kind": _l("类别"), "start": _l("日期自"),
                "end": _l("日期至"), "bank": _l("贷款机构"), "amount_min": _l("核准金额不低于"),
                "amount_max": _l("核准金额不高于"), "submitted_from": _l("提交日期自"),
                "submitted_to": _l("提交日期至")}
# The pager's place, not a filter.
PLACE = ("after", "before", "n", "page")


def _area_loans(q: dict) -> dict:
    return {"classification": q.get("class_"), "only_overdue": True if q.get("overdue") else None,
            "status": q.get("status"), "number": q.get("q") or None}


def _households(q: dict) -> dict:
    f = dataclasses.asdict(household_filter(q))
    return {k: list(v) if isinstance(v, tuple) else v for k, v in f.items()}


class ApplicationListQuerySchema(ApplicationQuerySchema):
    """The officer's application list: status, my own ("mine=1") and a number typed."""

    mine = fields.String(validate=validate.OneOf(("1",)))
    q = fields.String(validate=validate.Length(max=40))


def _applications(q: dict) -> dict:
    return {"status": q.get("status"), "number": q.get("q") or None,
            "submitted_by": actor().user_id if q.get("mine") else None}


def _queue(q: dict) -> dict:
    """待受理's filters as JSON (a job carries them): amounts as text, dates ISO, the zone named."""
    f = {k: str(v) if k.startswith("amount") else v.isoformat() if k.startswith("submitted") else v
         for k, v in q.items() if k != "after" and v is not None}
    return {**f, "tz": clock.programme_zone().key}


def _ledger(q: dict) -> dict:
    return {k: q[k].isoformat() if k in ("start", "end") else q[k]
            for k in ("kind", "start", "end") if q.get(k)}


def _picked(*names):
    return lambda q: {name: q.get(name) for name in names}


# list name -> (the page's query schema, its endpoint (by role when two pages show it), its
# query as the service's filters)
PAGES = {
    "area_loans": (LoanListQuerySchema, "village_loans.index", _area_loans),
    "loans": (BankLoanQuerySchema, "bank.loan_list",
              _picked("number", "status", "classification", "town")),
    "households": (HouseholdListQuerySchema, "household_files.index", _households),
    "coming_due": (None, "coming_due.index", lambda q: {}),
    "fallen_due": (None, "coming_due.index", lambda q: {}),
    "credit_ratings": (CreditRatingQuerySchema, "campaign_lists.ratings",
                       _picked("town", "village", "grade", "state")),
    "unborrowed": (UnborrowedQuerySchema, "campaign_lists.unborrowed",
                   _picked("town", "village", "grade")),
    "applications": (ApplicationListQuerySchema, "application_pages.index", _applications),
    "claims": (ClaimQuerySchema, {"fund_manager": "fund_office.claims_list",
                                  "bank": "bank.claim_list"}, _picked("status")),
    "ledger": (LedgerQuerySchema, "fund_office.ledger", _ledger),
    "exposure": (None, "fund_office.overview", lambda q: {}),
    "bank_queue": (QueueQuerySchema, "bank.queue", _queue),
}


def endpoint_of(name: str) -> str:
    """The endpoint of the page that shows list NAME to the acting user."""
    endpoint = PAGES[name][1]
    return endpoint[actor().role] if isinstance(endpoint, dict) else endpoint


def page_filters(name: str, raw: dict) -> tuple[dict | None, dict]:
    """(the service's filters, {}) of list NAME's page address RAW, or (None, field errors)."""
    schema, _endpoint, convert = PAGES[name]
    args = {k: v for k, v in raw.items() if k not in PLACE}
    if schema is None:
        return {}, {}
    query, errors = load_form(schema(), args)
    return (None, errors) if query is None else (convert(query), {})
