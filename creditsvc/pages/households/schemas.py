"""The query strings of the officers' lists: the API's filters and a few of the pages' own."""

from marshmallow import Schema, fields, validate

from creditsvc.schemas.fields import Code, QueryNumber
from creditsvc.schemas.households import HouseholdQuerySchema
from creditsvc.services.households.search import SEARCH_KEY
from lending.classification import CLASSES
from models.loan import LOAN_STATUSES


class KeysetQuerySchema(Schema):
    """A page of a list: after or before a cursor the previous page gave."""

    after = Code(max_length=200)
    before = Code(max_length=200)
    n = QueryNumber(1, 1_000_000)  # the page's number, as the pager counted it


class HouseholdListQuerySchema(HouseholdQuerySchema, KeysetQuerySchema):
    """The household list: the API's town, village and status, and the pages' filters."""

    # A search (exact, or a name's beginning: name1, name2), by the keyed hash the search
    # form's post redirected with.
    by = fields.String(validate=validate.OneOf(("id", "phone", "name", "name1", "name2")))
    key = fields.String(validate=validate.Regexp(SEARCH_KEY))
    has_loan = fields.Boolean()
    risk = fields.Boolean()
    mine = fields.Boolean()


class LoanListQuerySchema(KeysetQuerySchema):
    """The officer's loan list: by 五级分类 class, overdue, status, and a loan number."""

    q = fields.String(validate=validate.Length(max=40))
    class_ = fields.String(data_key="class", validate=validate.OneOf(CLASSES))
    overdue = fields.Boolean()
    status = fields.String(validate=validate.OneOf(LOAN_STATUSES))
