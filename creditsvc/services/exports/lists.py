"""The lists that export: for each, who may export it, its columns and the service query it reads.

Each list's rows come from the same SELECT its page and API page through (the list's service:
`loans.villages.village_loans_query`, `loans.reading.loans_query`, `households.search.filtered`,
`loans.coming_due.coming_due_query`, `campaign.lists.ratings_query` / `unborrowed_query`), with
the export's own columns put in its place (`with_only_columns`: the same FROM, joins and
WHERE), read whole in the list's order. Headers are the pages' own words
(Babel: the reader's language); personal data is the masked column unless revealed, then the
encrypted one, decrypted as written.
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select

from creditsvc.services.campaign import lists as campaign_lists
from creditsvc.services.exports.book_lists import BOOK_LISTS
from creditsvc.services.exports.fields import (
    HEAD,
    ID_NUMBER,
    PHONE,
    ExportList,
    Field,
    Labelled,
    money,
    rate,
)
from creditsvc.services.households.search import HouseholdFilter, filtered
from creditsvc.services.loans.coming_due import coming_due_query
from creditsvc.services.loans.reading import loans_query
from creditsvc.services.loans.villages import village_loans_query
from models import CreditLine, Household, HouseholdSurvey, Loan

LOAN_FIELDS = (
    Field(_l("贷款编号"), "text", Loan.number), HEAD, ID_NUMBER,
    Field(_l("乡镇"), "text", Loan.town), Field(_l("村"), "text", Loan.village),
    Field(_l("贷款机构"), "text", Loan.bank_code, Labelled("bank")),
    Field(_l("放款日"), "date", Loan.disbursed_on), Field(_l("到期日"), "date", Loan.maturity_on),
    Field(_l("期限（月）"), "int", Loan.term_months),
    Field(_l("利率"), "percent", Loan.rate_bp, rate),
    Field(_l("本金"), "money", Loan.principal_fen, money),
    Field(_l("贷款余额"), "money", Loan.outstanding_principal_fen, money),
    Field(_l("状态"), "text", Loan.status, Labelled("loan_status")),
    Field(_l("逾期天数"), "int", Loan.days_past_due),
    Field(_l("五级分类"), "text", Loan.classification, Labelled("class")),
)
LOAN_FILTERS = {"status": (_l("状态"), "loan_status"), "classification": (_l("五级分类"), "class"),
                "town": (_l("乡镇"), None), "bank": (_l("贷款机构"), "bank"),
                "number": (_l("贷款编号"), None), "only_overdue": (_l("仅逾期"), "yes_no"),
                "household_id": (_l("户档案"), None)}
LINE_FILTERS = {"town": (_l("乡镇"), None), "village": (_l("村"), None),
                "grade": (_l("等级"), None), "state": (_l("状态"), "line_state")}


def _joined(query: Select) -> Select:
    return query.join(Household, Household.id == Loan.household_id)


def _area_loans(session, actor, f, today):
    return village_loans_query(actor, **f)


def _loans(session, actor, f, today):
    return _joined(loans_query(actor, **f))


def _households(session, actor, f, today):
    search = f.get("search")
    return filtered(session, HouseholdFilter(**{**f, "search": tuple(search) if search else None}),
                    today=today)


def _due(which: str):
    return lambda session, actor, f, today: coming_due_query(actor, which, today)


def _lines(query_of):
    return lambda session, actor, f, today: query_of(
        session, actor, campaign_lists.ListFilter(**f), today=today, columns=(CreditLine.id,))


DUE_FIELDS = (
    Field(_l("贷款编号"), "text", Loan.number), HEAD, ID_NUMBER,
    Field(_l("乡镇"), "text", Loan.town), Field(_l("村"), "text", Loan.village),
    Field(_l("贷款机构"), "text", Loan.bank_code, Labelled("bank")),
    Field(_l("应还日"), "date", "due_on"), Field(_l("应还金额"), "money", "due_fen", money),
    Field(_l("贷款余额"), "money", Loan.outstanding_principal_fen, money),
    Field(_l("到期日"), "date", Loan.maturity_on), Field(_l("逾期天数"), "int", Loan.days_past_due),
)
LINE_FIELDS = (
    HEAD, ID_NUMBER, Field(_l("乡镇"), "text", CreditLine.town),
    Field(_l("村"), "text", CreditLine.village), Field(_l("等级"), "text", CreditLine.grade),
    Field(_l("授信额度"), "money", CreditLine.line_fen, money),
    Field(_l("授信时间"), "date", CreditLine.granted_on), Field(_l("到期"), "date", CreditLine.valid_until),
)
HOUSEHOLD_FIELDS = (
    HEAD, ID_NUMBER, PHONE, Field(_l("镇"), "text", Household.town),
    Field(_l("村"), "text", Household.village),
    Field(_l("户类型"), "text", Household.status, Labelled("status")),
    Field(_l("脱贫年份"), "int", Household.lifted_year),
    Field(_l("人均纯收入"), "money", Household.per_capita_income_fen, money),
)
HOUSEHOLD_FILTERS = {"town": (_l("镇"), None), "village": (_l("村"), None),
                     "status": (_l("户类型"), "status"), "has_loan": (_l("有在贷"), "yes_no"),
                     "risk": (_l("返贫风险"), "yes_no"), "created_by": (_l("我建的档"), "yes_no"),
                     "search": (_l("查找"), "export_search")}
OFFICER, BANK, FUND = "officer", "bank", "fund_manager"
LOAN_ORDER = (Loan.created_at, Loan.id)

LISTS = {spec.name: spec for spec in (
    ExportList("area_loans", _l("贷款（我负责的区域）"), frozenset({OFFICER}), LOAN_FIELDS,
               _area_loans, LOAN_ORDER, LOAN_FILTERS),
    ExportList("loans", _l("贷款"), frozenset({OFFICER, BANK, FUND}), LOAN_FIELDS, _loans,
               LOAN_ORDER, LOAN_FILTERS),
    ExportList("households", _l("户档案"), frozenset({OFFICER, FUND}), HOUSEHOLD_FIELDS,
               _households, (Household.created_at, Household.id), HOUSEHOLD_FILTERS),
    ExportList("coming_due", _l("即将到期的贷款（30 天内应还）"), frozenset({OFFICER, BANK}),
               DUE_FIELDS, _due("coming"), LOAN_ORDER),
    ExportList("fallen_due", _l("刚到期未还的贷款（近 30 天）"), frozenset({OFFICER, BANK}),
               DUE_FIELDS, _due("fallen"), LOAN_ORDER),
    ExportList("credit_ratings", _l("信用评级"), frozenset({OFFICER}), LINE_FIELDS,
               _lines(campaign_lists.ratings_query), (CreditLine.created_at, CreditLine.id),
               LINE_FILTERS),
    ExportList("unborrowed", _l("应贷未贷"), frozenset({OFFICER}),
               (*LINE_FIELDS, Field(_l("意向金额"), "money", HouseholdSurvey.intended_amount_fen,
                                    money)),
               _lines(campaign_lists.unborrowed_query), (CreditLine.created_at, CreditLine.id),
               LINE_FILTERS),
    *BOOK_LISTS,
)}
