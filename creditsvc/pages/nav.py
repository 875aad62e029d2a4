"""The navigation bar of each role: the areas a user of that role works in."""

from flask import current_app, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

# (endpoint, label, roles). An area shows once its blueprint is registered. The API's
# blueprints already hold the names "households" and "loans", hence the pages' own names.
AREAS = [
    ("desk.index", _l("工作台"), {"officer"}),
    ("household_files.index", _l("户档案"), {"officer"}),
    ("application_pages.index", _l("贷款申请"), {"officer"}),
    ("reviews.index", _l("待复核"), {"officer"}),
    ("village_loans.index", _l("贷款"), {"officer"}),
    ("campaign_pages.index", _l("评级授信"), {"officer"}),
    ("bank.desk", _l("工作台"), {"bank"}),
    ("bank.queue", _l("待受理"), {"bank"}),
    ("bank.loan_list", _l("贷款"), {"bank"}),
    ("bank.claim_list", _l("代偿"), {"bank"}),
    ("fund_office.overview", _l("总览"), {"fund_manager"}),
    ("fund_office.claims_list", _l("代偿审批"), {"fund_manager"}),
    ("fund_office.ledger", _l("基金台账"), {"fund_manager"}),
    ("fund_office.policy", _l("政策"), {"fund_manager"}),
    ("fund_office.stress", _l("压力测试"), {"fund_manager"}),
    ("job_pages.index", _l("后台任务"), {"bank", "fund_manager", "officer"}),
    ("admin.users_list", _l("用户"), {"admin"}),
    ("admin.banks", _l("合作银行"), {"admin"}),
    ("admin.models", _l("评分模型"), {"admin"}),
    ("subsidy_pages.index", _l("财政贴息"), {"fund_manager", "bank"}),
    ("ledger_pages.index", _l("贷款台账"), {"officer", "bank", "fund_manager"}),
    ("ledger_pages.stats", _l("台账统计"), {"bank", "fund_manager"}),
]


def nav_items() -> list[dict]:
    """The signed-in user's areas, the current one marked."""
    if not current_user.is_authenticated:
        return []
    items = [{"url": url_for(endpoint), "label": str(text)} for endpoint, text, roles in AREAS
             if current_user.role in roles and endpoint in current_app.view_functions]
    # The area whose address is the longest start of this page's (/fund/ledger: 基金台账).
    matches = [i["url"] for i in items if request.path == i["url"] or (
        i["url"] != "/" and request.path.startswith(i["url"] + "/"))]
    here = max(matches, key=len, default=None)
    for item in items:
        item["active"] = item["url"] == here
    return items


def register_nav(app) -> None:
    """Give every template `nav_items()`."""
    app.jinja_env.globals.update(nav_items=nav_items)
