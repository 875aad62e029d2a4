"""Officers' areas: the towns and villages an admin assigns each officer to work in.

An officer's desk, household list, village loans and review queue cover their area. A
town-level assignment covers every village of the town, now and later; a village-level one
covers that village of that town (village names repeat across towns, so the pair is the
key). An officer with no assignment has an empty area: their lists are empty and the pages
tell them to ask the admin, rather than showing the whole county or guessing from the
files they typed in.
"""

from dataclasses import dataclass

from sqlalchemy import false, or_, select, tuple_
from sqlalchemy.orm import Session

from creditsvc.core.errors import Conflict, Invalid
from creditsvc.core.principal import Principal
from creditsvc.core.vocab import TOWNS
from creditsvc.services.access.users import get_user
from creditsvc.services.platform import audit
from models import Household, OfficerArea

MAX_VILLAGE = 64


@dataclass(frozen=True)
class Area:
    """A town (VILLAGE None: all its villages) or one village of a town."""

    town: str
    village: str | None = None

    @property
    def key(self) -> str:
        """The form's value: 渔湖镇, or 渔湖镇/东湖村."""
        return self.town if self.village is None else f"{self.town}/{self.village}"

    def __lt__(self, other: "Area") -> bool:
        # A town before its villages; None does not compare with text.
        return (self.town, self.village or "") < (other.town, other.village or "")

    @classmethod
    def parse(cls, text: str) -> "Area":
        """An Area from its form value; a town outside the zone is refused."""
        town, _, village = text.strip().partition("/")
        village = village.strip() or None
        if town not in TOWNS:
            raise Invalid("unknown_town", fields=("areas",), town=town)
        if village is not None and len(village) > MAX_VILLAGE:
            raise Invalid("invalid_village", fields=("areas",), most=MAX_VILLAGE)
        return cls(town, village)


def areas_of(session: Session, user_id: str | None) -> list[Area]:
    """The areas assigned to USER_ID, by town then village."""
    if user_id is None:
        return []
    rows = session.execute(select(OfficerArea.town, OfficerArea.village)
                           .where(OfficerArea.user_id == user_id))
    return sorted(Area(town, village) for town, village in rows)


def areas_by_user(session: Session, user_ids: set[str]) -> dict[str, list[Area]]:
    """The areas of each of USER_IDS (one query), for the users list."""
    out: dict[str, list[Area]] = {u: [] for u in user_ids}
    if user_ids:
        for user_id, town, village in session.execute(
                select(OfficerArea.user_id, OfficerArea.town, OfficerArea.village)
                .where(OfficerArea.user_id.in_(user_ids))):
            out[user_id].append(Area(town, village))
    return {u: sorted(a) for u, a in out.items()}


def assign(session: Session, actor: Principal, user_id: str, areas: list[Area]) -> list[Area]:
    """Make AREAS the officer's whole area (audited, before and after)."""
    user = get_user(session, user_id)
    if user.role != "officer":
        raise Conflict("not_an_officer", fields=("areas",))
    wanted = sorted(set(areas))
    # A village of a town assigned whole adds nothing: keep the town only.
    whole = {a.town for a in wanted if a.village is None}
    wanted = [a for a in wanted if a.village is None or a.town not in whole]
    before = areas_of(session, user_id)
    if wanted == before:
        return before
    user.areas.clear()
    session.flush()  # the old rows go before the new ones meet their unique constraint
    user.areas.extend(OfficerArea(town=a.town, village=a.village) for a in wanted)
    audit.record(session, actor, "user.areas", target_type="user", target_id=user.id,
                 before={"areas": [a.key for a in before]},
                 after={"areas": [a.key for a in wanted]})
    session.flush()
    return wanted


def in_area(user_id: str | None, town_column, village_column):
    """The row's (town, village) is in USER_ID's area (a clause for any table carrying both).

    Not correlated: the officer's areas are read once per query, not once per row.
    """
    if user_id is None:
        return false()
    towns = select(OfficerArea.town).where(OfficerArea.user_id == user_id,
                                           OfficerArea.village.is_(None))
    villages = (select(OfficerArea.town, OfficerArea.village)
                .where(OfficerArea.user_id == user_id, OfficerArea.village.is_not(None)))
    return or_(town_column.in_(towns), tuple_(town_column, village_column).in_(villages))


def known_villages(session: Session, assigned: list[Area] = ()) -> dict[str, list[str]]:
    """Town -> the villages its household files name, and those ASSIGNED already (a village
    may be assigned before its first file): the choices an admin assigns from."""
    found = {(t, v) for t, v in session.execute(
        select(Household.town, Household.village).distinct())}
    found |= {(a.town, a.village) for a in assigned if a.village}
    out: dict[str, list[str]] = {t: [] for t in TOWNS}
    for town, village in sorted(found):
        out.setdefault(town, []).append(village)
    return out
