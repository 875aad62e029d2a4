"""The officers' list of household files: filters and exact search, on the server.

Search never sees clear text in a query: an ID number, a mobile number or a name typed in is
normalised and turned into its keyed hash (the blind indexes that `files._set_personal`
writes: the full name's, and its first one and two characters' for a search by a name's
beginning), and the list is filtered by that hash; the page carries
the hash, never the text, in its address. Filters are by town, village, status, whether the file
has a loan outstanding, the risk flag (a shock within the policy's lookback, as the refer
rule reads it), the officer's own files and the officer's area (access.areas).
"""

import dataclasses
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from creditsvc.core.idcard import normalise_id_number
from creditsvc.core.pii import PiiCipher, normalise_mobile, validate_name
from creditsvc.services.access.areas import in_area
from creditsvc.services.platform.paging import Page, paginate
from creditsvc.services.programme.policy import active_policy
from models import Household, HouseholdMember, Loan, MonitoringEvent


@dataclass(frozen=True)
class HouseholdFilter:
    """What the list is narrowed to; None means "any"."""

    town: str | None = None
    village: str | None = None  # any part of the village's name
    status: str | None = None
    has_loan: bool | None = None
    risk: bool | None = None
    created_by: str | None = None
    # The files of this officer's area only (an officer's list always is).
    area_of: str | None = None
    # An exact search: ("id" | "phone" | "name"…, search_hash's comma-joined keyed hashes).
    search: tuple[str, str] | None = None


@dataclass(frozen=True)
class ListedHousehold:
    """A row of the list: the file (masked fields only are shown) and what it carries."""

    household: Household
    members: int
    has_loan: bool
    at_risk: bool


def risk_since(session: Session, today: date) -> date:
    """The first day a shock still counts as 返贫风险: the refer rule's lookback from TODAY."""
    return today - timedelta(days=active_policy(session).shock_lookback_days)


def shock_between(since: date, today: date, *, probe: bool = True):
    """The household has a monitoring event dated SINCE to TODAY (both inclusive).

    A page reads files in the list's order and probes each one's events (EXISTS); a count
    starts from the shocks, which are few, and looks their files up (IN). Measured with
    100,000 files: counting "at risk, no loan" by probes took 308 ms, by IN 46 ms; the
    page itself took 18 ms by probes and 86 ms by IN (its rows then need a sort).
    """
    if probe:
        return exists().where(MonitoringEvent.household_id == Household.id,
                              MonitoringEvent.occurred_on >= since,
                              MonitoringEvent.occurred_on <= today)
    return Household.id.in_(select(MonitoringEvent.household_id).where(
        MonitoringEvent.occurred_on >= since, MonitoringEvent.occurred_on <= today))


def active_loan():
    """EXISTS a loan of the household still outstanding."""
    return exists().where(Loan.household_id == Household.id, Loan.status == "active")


SEARCH_COLUMNS = {"id": Household.id_number_hash, "phone": Household.phone_hash,
                  "name": Household.head_name_hash, "name1": Household.head_name_prefix1_hash,
                  "name2": Household.head_name_prefix2_hash}


# A search's key in a page address: one keyed hash per key (up to four while rotating).
SEARCH_KEY = r"^[0-9a-f]{64}(,[0-9a-f]{64}){0,3}$"


def name_prefix_hashes(cipher: PiiCipher, name: str) -> tuple[str, str]:
    """The keyed hashes of NAME's first character and first two (a one-character name: both
    of it), which a search by a name's beginning looks up."""
    name = name.strip()
    return cipher.blind_index("name1", name[:1]), cipher.blind_index("name2", name[:2])


def search_hash(cipher: PiiCipher, text: str) -> tuple[str, str] | None:
    """(kind, keyed hashes) that find TEXT: an ID number, a mobile number, or a name.

    The hashes are comma-joined, one per key (several only while a key is being rotated, when
    a file not yet rotated carries its old hash): `matching` looks up any of them.

    A name of one or two characters is taken as a name's beginning (邱 finds 邱某某; a
    two-character full name is its own beginning, so it is found too); a longer one is
    exact.
    """
    text = text.strip()
    for kind, normalise in (("id", normalise_id_number), ("phone", normalise_mobile),
                            ("name", validate_name)):
        try:
            clear = normalise(text)
        except ValueError:  # IdNumberError too: not this kind of text
            continue
        if kind == "name" and len(clear) <= 2:
            kind = f"name{len(clear)}"
        return kind, ",".join(cipher.blind_indexes(kind, clear))
    return None


def matching(kind: str, key: str):
    """The WHERE clause of a search: KIND's column holds one of KEY's comma-joined hashes."""
    return SEARCH_COLUMNS[kind].in_(key.split(","))


def filtered(session: Session, f: HouseholdFilter, *, today: date, probe: bool = True):
    """The SELECT of the files F lets through (unordered); PROBE: see shock_between."""
    query = select(Household)
    for column, value in ((Household.town, f.town), (Household.status, f.status),
                          (Household.created_by, f.created_by)):
        if value is not None:
            query = query.where(column == value)
    if f.village:  # part of the name: 西田 finds 西田村 and 下西田村
        query = query.where(Household.village.contains(f.village.strip(), autoescape=True))
    if f.area_of is not None:
        query = query.where(in_area(f.area_of, Household.town, Household.village))
    if f.has_loan is not None:
        query = query.where(active_loan() if f.has_loan else ~active_loan())
    if f.risk is not None:
        shock = shock_between(risk_since(session, today), today, probe=probe)
        query = query.where(shock if f.risk else ~shock)
    if f.search:
        query = query.where(matching(*f.search))
    return query


def find_households(session: Session, f: HouseholdFilter, *, today: date,
                    after: str | None = None, before: str | None = None,
                    page_size: int = 50, count: bool = True) -> Page:
    """A page of the files F lets through, oldest first; rows are ListedHousehold."""
    page = paginate(session, filtered(session, f, today=today), Household,
                    after=after, before=before, page_size=page_size, count=count,
                    count_query=filtered(session, f, today=today, probe=False))
    ids = [h.id for h in page.items]
    if not ids:
        return page
    # Three small reads keyed by the page's ids, instead of a join per row.
    members = dict(session.execute(
        select(HouseholdMember.household_id, func.count()).where(
            HouseholdMember.household_id.in_(ids)).group_by(HouseholdMember.household_id)).all())
    with_loan = set(session.execute(select(Loan.household_id).where(
        Loan.household_id.in_(ids), Loan.status == "active")).scalars())
    since = risk_since(session, today)
    at_risk = set(session.execute(select(MonitoringEvent.household_id).where(
        MonitoringEvent.household_id.in_(ids), MonitoringEvent.occurred_on >= since,
        MonitoringEvent.occurred_on <= today)).scalars())
    rows = [ListedHousehold(h, members.get(h.id, 0), h.id in with_loan, h.id in at_risk)
            for h in page.items]
    return dataclasses.replace(page, items=rows)
