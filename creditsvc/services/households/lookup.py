"""Finding household files without their clear text: by the ID number's keyed hash, and by id."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from creditsvc.core.errors import Invalid
from creditsvc.core.idcard import IdNumberError, normalise_id_number
from creditsvc.core.pii import PiiCipher
from models import Household


def find_by_id_number(session: Session, cipher: PiiCipher, id_number: str) -> Household | None:
    """The file of the household whose head has ID_NUMBER (exact), or None.

    The number is checked first (a typo is a field error, not "not found"), then found by its
    keyed hash: the clear number is never stored, searched for or logged.
    """
    try:
        number = normalise_id_number(id_number)
    except IdNumberError as exc:
        raise Invalid("invalid_id_number", errors={"id_number": [exc.said]}) from exc
    return session.execute(select(Household).where(
        Household.id_number_hash.in_(cipher.blind_indexes("id", number)))).scalar_one_or_none()


def households_by_id(session: Session, ids: set[str]) -> dict[str, Household]:
    """The files of IDS (one query), for a listing that shows each row's masked head."""
    if not ids:
        return {}
    rows = session.execute(select(Household).where(Household.id.in_(ids))).scalars()
    return {h.id: h for h in rows}
