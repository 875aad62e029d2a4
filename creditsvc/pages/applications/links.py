"""Small helpers the application and review pages share: the household file's link, paging."""

from flask import current_app, url_for

MAX_PAGE = 10_000


def household_url(household_id: str) -> str | None:
    """The household file page (户档案) of HOUSEHOLD_ID, when that page is served; else None.

    The household pages are their own blueprint: found by their path, /households/<id>, so that
    this link does not depend on how that blueprint names its view.
    """
    for rule in current_app.url_map.iter_rules():
        if (rule.rule.startswith("/households/<") and rule.rule.endswith(">")
                and len(rule.arguments) == 1 and "GET" in (rule.methods or ())):
            return url_for(rule.endpoint, **{next(iter(rule.arguments)): household_id})
    return None


def page_number(raw: str | None) -> int:
    """A page number from the query string: 1 when absent or not a number."""
    return min(int(raw), MAX_PAGE) if raw and raw.isascii() and raw.isdigit() and int(raw) > 0 else 1
