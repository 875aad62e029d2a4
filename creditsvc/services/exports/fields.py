"""What an exported list is made of: its fields (header, kind, the SQL read, how a value is
shown) and the list itself (name, title, roles, the service query it reads, its order)."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select
from sqlalchemy.orm import Session

from creditsvc.core.labels import label
from creditsvc.core.money import from_fen
from creditsvc.core.principal import Principal
from creditsvc.infra.clock import COUNTY
from creditsvc.services.exports.workbook import Kind
from models import Household


def money(fen):
    """Integer fen as Decimal yuan."""
    return None if fen is None else from_fen(fen)


def rate(bp):
    """A rate in basis points as a Decimal fraction (345 is 3.45%)."""
    return None if bp is None else Decimal(bp) / 10000


def local(moment: datetime):
    """A stored (UTC) moment as the county's wall-clock time, as the pages show it."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(COUNTY).replace(tzinfo=None)


def day(value):
    """A date filter as a job carried it (ISO text) or as loaded (a date)."""
    return date.fromisoformat(value) if isinstance(value, str) else value


class Labelled:
    """A code shown as its label in KIND (the export remembers each code's label once)."""

    def __init__(self, kind: str):
        self.kind = kind

    def __call__(self, code):
        return label(self.kind, code)


@dataclass(frozen=True)
class Field:
    """A column: its header, its kind, the SQL it reads, how a value is shown.

    EXPR: a column, or the name of one the list's own SELECT gives (a subquery's).
    CLEAR: the encrypted column read instead when personal data is revealed.
    """

    header: object
    kind: Kind
    expr: object
    show: Callable | None = None
    clear: object | None = None


@dataclass(frozen=True)
class ExportList:
    """A list that exports: its name, title, the roles that may, its fields and its query.

    QUERY(session, actor, filters, today) is the list's service SELECT; ORDER its list's order.
    FILTERS: each filter's name as the heading says it, and the labels its values take.
    ROWS: for a list that is no SELECT but a report's few rows (the exposure), the rows as
    shown, instead of QUERY.
    """

    name: str
    title: object
    roles: frozenset[str]
    fields: tuple[Field, ...]
    query: Callable[[Session, Principal, dict, date], Select] | None
    order: tuple
    filters: dict = field(default_factory=dict)
    rows: Callable[[Session, Principal, dict, date], list] | None = None


# The household's personal data: masked as the lists show it, or the encrypted column, revealed.
HEAD = Field(_l("户主"), "text", Household.head_name_masked, clear=Household.head_name_enc)
ID_NUMBER = Field(_l("身份证号"), "text", Household.id_number_masked, clear=Household.id_number_enc)
PHONE = Field(_l("手机号"), "text", Household.phone_masked, clear=Household.phone_enc)
