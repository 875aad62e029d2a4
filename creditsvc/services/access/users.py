"""Users, their roles and their API keys."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from creditsvc.core.errors import AppError, Conflict, Invalid, NotFound
from creditsvc.core.keys import hash_api_key, new_api_key
from creditsvc.core.principal import Principal
from creditsvc.services.platform import audit
from models import ApiKey, Bank, User
from models.base import utcnow
from models.user import ROLES


def create_user(session: Session, actor: Principal, name: str, role: str,
                bank_code: str | None = None, *,
                display_name: str | None = None) -> tuple[User, str]:
    """Make a user with one API key; returns the key in clear, the only time it exists."""
    if refused := user_refusals(session, name, role, bank_code):
        raise refused[0]
    user = User(name=name, role=role, bank_code=bank_code, display_name=display_name)
    key = new_api_key()
    session.add(user)
    session.flush()
    session.add(ApiKey(user_id=user.id, key_hash=hash_api_key(key), prefix=key[:10]))
    audit.record(session, actor, "user.create", target_type="user", target_id=user.id,
                 detail={"name": name, "role": role, "bank": bank_code})
    session.flush()
    return user, key


def user_refusals(session: Session, name: str | None, role: str | None,
                  bank_code: str | None) -> list[AppError]:
    """Every refusal of a new user, each about its field: the role and bank, then the name."""
    refused: list[AppError] = []
    if role is not None:
        try:
            _check_role(session, role, bank_code)
        except AppError as exc:
            refused.append(exc)
    if name and session.execute(select(User.id).where(User.name == name)).first():
        refused.append(Conflict("user_exists", fields=("name",), name=name))
    return refused


def issue_key(session: Session, actor: Principal, name: str) -> str:
    """Give an existing user a further key."""
    user = _get_by_name(session, name)
    if user.revoked_at:
        raise Conflict("user_revoked", name=name)
    key = new_api_key()
    session.add(ApiKey(user_id=user.id, key_hash=hash_api_key(key), prefix=key[:10]))
    audit.record(session, actor, "user.key_issue", target_type="user", target_id=user.id)
    session.flush()
    return key


def revoke_user(session: Session, actor: Principal, name: str) -> User:
    """Revoke a user and every key they hold."""
    user = _get_by_name(session, name)
    now = utcnow()
    user.revoked_at = user.revoked_at or now
    for key in user.keys:
        key.revoked_at = key.revoked_at or now
    audit.record(session, actor, "user.revoke", target_type="user", target_id=user.id)
    session.flush()
    return user


def list_users(session: Session) -> list[User]:
    """Every user, by name."""
    return list(session.execute(select(User).order_by(User.name)).scalars())


def get_user(session: Session, user_id: str) -> User:
    """One user by id, or 404."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("user_not_found", name=user_id)
    return user


def change_role(session: Session, actor: Principal, user_id: str, role: str,
                bank_code: str | None) -> User:
    """Give a user another role (a bank user names their one bank; nobody else does)."""
    user = get_user(session, user_id)
    _check_role(session, role, bank_code)
    if user.revoked_at is not None:
        raise Conflict("user_revoked", name=user.name)
    before = {"role": user.role, "bank": user.bank_code}
    user.role, user.bank_code = role, bank_code
    audit.record(session, actor, "user.role_change", target_type="user", target_id=user.id,
                 before=before, after={"role": role, "bank": bank_code})
    session.flush()
    return user


def set_display_name(session: Session, actor: Principal, user_id: str,
                     display_name: str | None) -> User:
    """The person's real name, shown to colleagues beside their login name (audited)."""
    user = get_user(session, user_id)
    if display_name != user.display_name:
        audit.record(session, actor, "user.display_name", target_type="user", target_id=user.id,
                     before={"display_name": user.display_name},
                     after={"display_name": display_name})
        user.display_name = display_name
        session.flush()
    return user


def revoke_key(session: Session, actor: Principal, user_id: str, key_id: str) -> ApiKey:
    """Revoke one of a user's API keys; the others keep working."""
    key = session.get(ApiKey, key_id)
    if key is None or key.user_id != user_id:
        raise NotFound("key_not_found")
    if key.revoked_at is None:
        key.revoked_at = utcnow()
        audit.record(session, actor, "user.key_revoke", target_type="user", target_id=user_id,
                     detail={"prefix": key.prefix})
        session.flush()
    return key


def _check_role(session: Session, role: str, bank_code: str | None) -> None:
    if role not in ROLES:
        raise Invalid("unknown_role", fields=("role",), roles=", ".join(ROLES))
    if (role == "bank") != (bank_code is not None):
        raise Invalid("bank_binding", fields=("bank_code",))
    if bank_code is not None and session.get(Bank, bank_code) is None:
        raise Invalid("unknown_bank", fields=("bank_code",), bank=bank_code)


def _get_by_name(session: Session, name: str) -> User:
    user = session.execute(select(User).where(User.name == name)).scalar_one_or_none()
    if user is None:
        raise NotFound("user_not_found", name=name)
    return user


def names_of(session: Session, ids: set[str]) -> dict[str, str]:
    """The names of the users IDS (one query): who submitted or reviewed an application.

    A user's real name when the admin gave one, else their login name.
    """
    if not ids:
        return {}
    return {i: display or name for i, name, display in session.execute(
        select(User.id, User.name, User.display_name).where(User.id.in_(ids)))}
