"""Replace the personal-data key: re-encrypt and re-hash every value, online and resumable.

The service runs with the new key as CREDITSVC_PII_KEY and the old one in
CREDITSVC_PII_OLD_KEYS: it writes under the new key, reads under either, and finds a file by
either key's hashes. `rotate` walks each table holding personal data in id order, a batch per
transaction; a row whose values are already under the new key is left alone, so a rotation
that was interrupted is simply run again. Each row is rewritten only if its old values are
still there (compare-and-set): a file an officer edited meanwhile was written under the new
key already and is not overwritten with what was read before.
"""

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import and_, select, update
from sqlalchemy.orm import Session

from creditsvc.core.pii import PiiCipher
from creditsvc.core.principal import Principal
from creditsvc.services.platform import audit
from creditsvc.services.platform.uow import UnitOfWork
from models import CampaignObjection, Household, HouseholdMember


@dataclass(frozen=True)
class Sealed:
    """An encrypted column and the keyed hashes made from its clear value."""

    column: str
    hashes: Callable[[PiiCipher, str], dict[str, str]] = lambda _c, _v: {}


def _name_hashes(cipher: PiiCipher, name: str) -> dict[str, str]:
    name = name.strip()
    return {"head_name_hash": cipher.blind_index("name", name),
            "head_name_prefix1_hash": cipher.blind_index("name1", name[:1]),
            "head_name_prefix2_hash": cipher.blind_index("name2", name[:2])}


TABLES = {
    Household: (
        Sealed("head_name_enc", _name_hashes),
        Sealed("id_number_enc", lambda c, v: {"id_number_hash": c.blind_index("id", v)}),
        Sealed("phone_enc", lambda c, v: {"phone_hash": c.blind_index("phone", v)}),
    ),
    HouseholdMember: (
        Sealed("name_enc", lambda c, v: {"name_hash": c.blind_index("name", v)}),
        Sealed("id_number_enc", lambda c, v: {"id_number_hash": c.blind_index("id", v)}),
    ),
    CampaignObjection: (Sealed("raised_by_enc"),),
}


@dataclass
class Progress:
    """Rows looked at and rows rewritten, per table."""

    seen: dict[str, int]
    rotated: dict[str, int]
    skipped_changed: int = 0


def rotate(session: Session, actor: Principal, cipher: PiiCipher, *, batch: int = 500,
           on_batch: Callable[[str, int], None] | None = None) -> Progress:
    """Rewrite every value not yet under CIPHER's current key; commits each batch."""
    progress = Progress({}, {})
    for model, sealed in TABLES.items():
        name = model.__tablename__
        progress.seen[name] = progress.rotated[name] = 0
        columns = [getattr(model, s.column) for s in sealed]
        last = ""
        while True:
            with UnitOfWork(session) as uow:
                rows = session.execute(select(model.id, *columns).where(model.id > last)
                                       .order_by(model.id).limit(batch)).all()
                if not rows:
                    uow.rollback()
                    break
                done = sum(_rotate_row(session, model, sealed, cipher, row, progress) for row in rows)
                if done:
                    audit.record(session, actor, "pii.rotate", target_type=name,
                                 detail={"rows": done, "through": rows[-1][0]})
                uow.commit()
            last = rows[-1][0]
            progress.seen[name] += len(rows)
            progress.rotated[name] += done
            if on_batch is not None:
                on_batch(name, progress.seen[name])
    return progress


def _rotate_row(session: Session, model, sealed, cipher: PiiCipher, row, progress: Progress) -> int:
    """Rewrite ROW's values under the current key if any is not; 1 if it was rewritten."""
    row_id, tokens = row[0], row[1:]
    if all(t is None or cipher.is_current(t) for t in tokens):
        return 0
    values = {}
    for spec, token in zip(sealed, tokens, strict=True):
        if token is None:
            continue
        clear = cipher.decrypt(token)
        values[spec.column] = cipher.encrypt(clear)
        values.update(spec.hashes(cipher, clear))
    unchanged = and_(*(getattr(model, s.column).is_(None) if t is None else getattr(model, s.column) == t
                       for s, t in zip(sealed, tokens, strict=True)))
    result = session.execute(update(model).where(model.id == row_id, unchanged).values(**values))
    if result.rowcount == 0:
        progress.skipped_changed += 1  # edited meanwhile: already under the new key
        return 0
    return 1


def remaining(session: Session, cipher: PiiCipher) -> int:
    """How many rows still hold a value not under the current key (a full read)."""
    left = 0
    for model, sealed in TABLES.items():
        columns = [getattr(model, s.column) for s in sealed]
        for row in session.execute(select(*columns)).yield_per(2000):
            left += any(t is not None and not cipher.is_current(t) for t in row)
    return left
