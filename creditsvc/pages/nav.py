"""The navigation bar of each role: the areas a user of that role works in."""

from flask import current_app, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

# (endpoint, label, roles). An area shows once its blueprint is registered. The API's
# blueprints already hold the names "households" and "loans", hence the pages' own names.
AREAS = [
    ("desk.index", _l("工作台"), {"officer"}),
    ("household_files.index", _l("户档案"), {"officer"}),
    ("applications.index", _l("贷款申请"), {"officer"}),
    ("reviews.index", _l("待复核"), {"officer"}),
    ("village_loans.index", _l("贷款"), {"officer"}),
    ("home.index", _l("首页"), {"bank", "fund_manager", "admin"}),
]


def nav_items() -> list[dict]:
    """The signed-in user's areas, the current one marked."""
    if not current_user.is_authenticated:
        return []
    here = (request.endpoint or "").split(".")[0]
    return [{"url": url_for(endpoint), "label": str(text),
             "active": endpoint.split(".")[0] == here}
            for endpoint, text, roles in AREAS
            if current_user.role in roles and endpoint in current_app.view_functions]


def register_nav(app) -> None:
    """Give every template `nav_items()`."""
    app.jinja_env.globals.update(nav_items=nav_items)
