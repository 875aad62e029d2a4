"""Each exportable page's filters, read from its address with the page's own schema, as the
keyword arguments its service query takes (JSON, so a job can carry them)."""

import dataclasses

from creditsvc.pages.bank.schemas import LoanListQuerySchema as BankLoanQuerySchema
from creditsvc.pages.households.routes import household_filter
from creditsvc.pages.households.schemas import HouseholdListQuerySchema, LoanListQuerySchema
from creditsvc.pages.validation import load_form
from creditsvc.schemas.lists import CreditRatingQuerySchema, UnborrowedQuerySchema

# The pager's place, not a filter.
PLACE = ("after", "before", "n", "page")


def _area_loans(q: dict) -> dict:
    return {"classification": q.get("class_"), "only_overdue": True if q.get("overdue") else None,
            "status": q.get("status"), "number": q.get("q") or None}


def _households(q: dict) -> dict:
    f = dataclasses.asdict(household_filter(q))
    return {k: list(v) if isinstance(v, tuple) else v for k, v in f.items()}


def _picked(*names):
    return lambda q: {name: q.get(name) for name in names}


# list name -> (the page's query schema, its endpoint, its query as the service's filters)
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
}


def page_filters(name: str, raw: dict) -> tuple[dict | None, dict]:
    """(the service's filters, {}) of list NAME's page address RAW, or (None, field errors)."""
    schema, _endpoint, convert = PAGES[name]
    args = {k: v for k, v in raw.items() if k not in PLACE}
    if schema is None:
        return {}, {}
    query, errors = load_form(schema(), args)
    return (None, errors) if query is None else (convert(query), {})
