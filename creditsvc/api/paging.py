"""The lists' cursor parameter and the paging headers every list answers with."""

from marshmallow import Schema, fields, validate

from creditsvc.services.platform.paging import Page


class CursorQuerySchema(Schema):
    """Keyset paging: the `X-Next-Cursor` of the previous page (then `page` is not used)."""

    after = fields.String(validate=validate.Length(min=1, max=200), metadata={
        "description": "the X-Next-Cursor header of the previous page: the next page costs "
                       "the same whatever its depth"})


def list_response(page: Page, pagination_parameters):
    """The page's items with X-Next-Cursor and X-Total-Estimated (the total is a planner
    estimate, flagged so, when more than 2,000 rows match)."""
    pagination_parameters.item_count = page.total
    headers = {"X-Total-Estimated": "true" if page.estimated else "false"}
    if page.next_cursor:
        headers["X-Next-Cursor"] = page.next_cursor
    return page.items, headers
