"""The campaign pages' blueprint and what their templates share: words and the campaign read."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from creditsvc.infra.extensions import db
from creditsvc.pages.access import actor
from creditsvc.services.campaign import campaigns

bp = Blueprint("campaign_pages", __name__, url_prefix="/campaigns")

WORDS = {
    "status": {"open": _l("待评级"), "rated": _l("待村委评议"), "notice": _l("公示中"),
               "granted": _l("已授信"), "cancelled": _l("已撤销")},
    "view": {"agree": _l("同意"), "disagree": _l("不同意"), "lower": _l("降低额度")},
    "objection": {"open": _l("待处理"), "upheld": _l("成立"), "dismissed": _l("驳回")},
    "outcome": {"dismissed": _l("驳回异议"), "adjust": _l("异议成立：调整额度"),
                "remove": _l("异议成立：移出名单")},
    "line": {"active": _l("有效"), "replaced": _l("已被新授信替换"), "revoked": _l("已撤销")},
}
STEPS = ("open", "rated", "notice", "granted")


def word(kind: str, code) -> str:
    """A campaign code in the page's language."""
    found = WORDS.get(kind, {}).get(code)
    return str(found) if found is not None else ("—" if code is None else str(code))


@bp.app_context_processor
def campaign_words():
    """Every template may say a campaign code (`campaign_word('status', c.status)`)."""
    return {"campaign_word": word, "campaign_area": campaigns.area_label}


def the_campaign(campaign_id: str, *, lock: bool = False):
    """The campaign of the signed-in officer's area (404 for any other)."""
    return campaigns.get_campaign(db.session, actor(), campaign_id, lock=lock)
