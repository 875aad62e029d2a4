"""The village committee's view of each household (村级民主评议): 同意, 不同意, or a lower line.

Views are recorded for the whole list at once, from the page or the spreadsheet: every row
is checked first and, if any row is wrong, none is saved and each wrong row gets its
messages (keyed by the entry's id). The line that goes to 公示 follows the view: the
rating's line when agreed, the committee's when lowered, none when disagreed.
"""

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session

from creditsvc.core.errors import Conflict, Invalid
from creditsvc.core.money import MoneyError, to_fen
from creditsvc.core.principal import Principal
from creditsvc.core.refusals import said
from creditsvc.services.campaign.campaigns import get_campaign
from creditsvc.services.platform import audit
from models import Campaign, CampaignEntry, Household, Rating

VIEWS = ("agree", "disagree", "lower")
MAX_NOTE = 500


@dataclass(frozen=True)
class View:
    """One household's view as typed: the entry, the view, a line in yuan, a note."""

    entry_id: str
    view: str | None
    line: Decimal | None = None
    note: str | None = None


def entries(session: Session, campaign_id: str) -> list[tuple]:
    """The list: (entry, rating or None, household) by village, then head's masked name."""
    return session.execute(
        select(CampaignEntry, Rating, Household)
        .join(Household, Household.id == CampaignEntry.household_id)
        .outerjoin(Rating, Rating.id == CampaignEntry.rating_id)
        .where(CampaignEntry.campaign_id == campaign_id)
        .order_by(Household.village, Household.created_at, Household.id)).all()


def not_rated(campaign: Campaign) -> Conflict:
    """Views and the start of 公示 belong between the rating and the notice."""
    return Conflict("campaign_not_rated", number=campaign.number)


def _problems(v: View, rating_line: int) -> tuple[dict, int | None]:
    """The field problems of one view, and the line (fen) it proposes."""
    errors: dict[str, list] = {}
    line = None
    if v.view not in VIEWS:
        errors["view"] = [said("committee_view_unknown")]
        return errors, None
    if v.note is not None and len(v.note) > MAX_NOTE:
        errors["note"] = [said("committee_note_too_long", most=MAX_NOTE)]
    if v.view in ("disagree", "lower") and not (v.note or "").strip():
        errors["note"] = [said("committee_note_required")]
    if v.view != "lower":
        if v.line is not None:
            errors["line"] = [said("committee_line_only_lower")]
        return errors, (rating_line if v.view == "agree" else 0)
    if v.line is None:
        errors["line"] = [said("committee_line_required")]
    else:
        try:
            line = to_fen(v.line)
        except MoneyError:
            line = -1
        if not 0 < line < rating_line:
            errors["line"] = [said("committee_line_not_lower",
                                   line=f"{Decimal(rating_line) / 100:.2f}")]
    return errors, line


def record_views(session: Session, actor: Principal, campaign_id: str, views: list[View], *,
                 source: str = "page", found: dict[str, dict] | None = None) -> int:
    """Record VIEWS on the campaign's entries, all or none; returns how many changed.

    FOUND: problems the caller already found in its input (a spreadsheet's unreadable
    cells), by entry id; they are refused together with the views' own.
    """
    campaign = get_campaign(session, actor, campaign_id, lock=True)
    if campaign.status != "rated":
        raise not_rated(campaign)
    listed = {e.id: (e, r) for e, r, _ in entries(session, campaign.id)}
    errors: dict[str, dict] = {k: dict(v) for k, v in (found or {}).items()}
    changes = []
    for v in views:
        if v.entry_id not in listed:
            errors[v.entry_id] = {"entry": [said("committee_household_unknown")]}
            continue
        entry, rating = listed[v.entry_id]
        problems, proposed = _problems(v, rating.line_fen if rating else 0)
        if problems or v.entry_id in errors:
            for field, messages in problems.items():
                errors.setdefault(v.entry_id, {}).setdefault(field, messages)
            continue
        note = (v.note or "").strip() or None
        line = proposed if v.view == "lower" else None
        if (entry.committee_view, entry.committee_line_fen, entry.committee_note) != (v.view, line, note):
            changes.append({"e": entry.id, "view": v.view, "line": line, "note": note,
                            "proposed": proposed, "before": entry.committee_view})
    if errors:
        raise Invalid("committee_views_invalid", errors=errors, count=len(errors))
    if changes:
        table = CampaignEntry.__table__
        session.execute(update(table).where(table.c.id == bindparam("e")).values(
            committee_view=bindparam("view"), committee_line_fen=bindparam("line"),
            committee_note=bindparam("note"), proposed_line_fen=bindparam("proposed")), changes)
        viewed = session.execute(select(func.count(CampaignEntry.committee_view)).where(
            CampaignEntry.campaign_id == campaign.id)).scalar_one()
        session.execute(update(Campaign).where(Campaign.id == campaign.id)
                        .values(viewed_count=viewed).execution_options(synchronize_session=False))
    by_view = {view: sum(1 for c in changes if c["view"] == view) for view in VIEWS}
    audit.record(session, actor, "campaign.committee", target_type="campaign",
                 target_id=campaign.id, detail={"source": source, "changed": len(changes),
                                                "by_view": by_view})
    return len(changes)
