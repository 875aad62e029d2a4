"""Signing in to the web pages: Argon2id passwords, a first password to change, a lock after failures.

The lock lives in the user's row, not in a worker's memory, so five failures lock the account
whichever workers served them. Every sign-in, failure and lock is an audit event; the caller's
unit of work commits the failure too (a refused sign-in is still recorded).
"""

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from creditsvc.core.errors import Invalid, NotFound
from creditsvc.core.principal import Principal
from creditsvc.services.platform import audit
from models import User

MAX_FAILURES = 5
LOCK_FOR = timedelta(minutes=15)
MIN_LENGTH, MAX_LENGTH = 10, 128
# argon2-cffi's defaults are Argon2id with RFC 9106's low-memory parameters.
_hasher = PasswordHasher()
# Verified against when the username is unknown, so that a miss costs what a hit costs.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


@dataclass(frozen=True)
class SignIn:
    """The outcome of a sign-in: the user, or why not (`invalid_credentials`, `account_locked`)."""

    user: User | None
    refusal: str | None = None
    locked_until: datetime | None = None


def password_problem(password: str, username: str = "") -> str | None:
    """Why PASSWORD may not be used (a code), or None: long enough, letters and digits, not the name."""
    if len(password) < MIN_LENGTH:
        return "password_too_short"
    if len(password) > MAX_LENGTH:
        return "password_too_long"
    if not (re.search(r"[A-Za-z]", password) and re.search(r"\d", password)):
        return "password_too_simple"
    if username and username.lower() in password.lower():
        return "password_contains_username"
    return None


def set_password(session: Session, actor: Principal, name: str, password: str, *,
                 must_change: bool, now: datetime) -> User:
    """Give user NAME a password (an admin's initial one must be changed at first sign-in)."""
    user = session.execute(select(User).where(User.name == name)).scalar_one_or_none()
    if user is None:
        raise NotFound("user_not_found", name=name)
    if problem := password_problem(password, name):
        raise Invalid(problem, fields=("password",), least=MIN_LENGTH, most=MAX_LENGTH)
    user.password_hash = _hasher.hash(password)
    user.must_change_password = must_change
    user.failed_logins, user.locked_until, user.password_changed_at = 0, None, now
    audit.record(session, actor, "user.password_set", target_type="user", target_id=user.id,
                 detail={"must_change": must_change})
    session.flush()
    return user


def new_initial_password() -> str:
    """A random first password for an admin to hand over (letters and digits)."""
    while password_problem(candidate := secrets.token_urlsafe(12)):
        pass
    return candidate


def sign_in(session: Session, name: str, password: str, *, now: datetime,
            request_id: str | None = None) -> SignIn:
    """Check NAME's password, counting failures and locking after MAX_FAILURES of them."""
    user = session.execute(select(User).where(User.name == name).with_for_update()
                           ).scalar_one_or_none()
    if user is None or user.revoked_at is not None or user.password_hash is None:
        _verify(_DUMMY_HASH, password)
        audit.record(session, Principal(None, "anonymous", "anonymous", None, request_id),
                     "user.sign_in", outcome="refused", detail={"reason": "unknown_user"})
        return SignIn(None, "invalid_credentials")
    actor = Principal(user.id, user.name, user.role, user.bank_code, request_id)
    if user.locked_until is not None and user.locked_until > now:
        _verify(user.password_hash, password)  # as long as any other refusal takes
        audit.record(session, actor, "user.sign_in", target_type="user", target_id=user.id,
                     outcome="refused", detail={"reason": "account_locked"})
        return SignIn(None, "account_locked", user.locked_until)
    if not _verify(user.password_hash, password):
        user.failed_logins += 1
        audit.record(session, actor, "user.sign_in", target_type="user", target_id=user.id,
                     outcome="refused", detail={"reason": "wrong_password",
                                                "failures": user.failed_logins})
        if user.failed_logins >= MAX_FAILURES:
            user.locked_until, user.failed_logins = now + LOCK_FOR, 0
            audit.record(session, actor, "user.lock", target_type="user", target_id=user.id,
                         detail={"until": user.locked_until.isoformat()})
            session.flush()
            return SignIn(None, "account_locked", user.locked_until)
        session.flush()
        return SignIn(None, "invalid_credentials")
    user.failed_logins, user.locked_until = 0, None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    audit.record(session, actor, "user.sign_in", target_type="user", target_id=user.id)
    session.flush()
    return SignIn(user)


def change_password(session: Session, actor: Principal, current: str, new: str, *,
                    now: datetime) -> User:
    """The signed-in user replaces their password, proving the current one."""
    user = session.get(User, actor.user_id)
    if user is None or user.password_hash is None or not _verify(user.password_hash, current):
        raise Invalid("wrong_password", fields=("current_password",))
    if new == current:
        raise Invalid("password_unchanged", fields=("new_password",))
    if problem := password_problem(new, user.name):
        raise Invalid(problem, fields=("new_password",), least=MIN_LENGTH, most=MAX_LENGTH)
    return set_password(session, actor, user.name, new, must_change=False, now=now)


def reset_password(session: Session, actor: Principal, name: str, *, now: datetime) -> str:
    """An admin gives a user a new initial password (returned once) and lifts any lock."""
    password = new_initial_password()
    set_password(session, actor, name, password, must_change=True, now=now)
    return password


def unlock(session: Session, actor: Principal, user: User) -> None:
    """Lift a sign-in lock before it runs out (an admin who has checked who is asking)."""
    if user.locked_until is not None or user.failed_logins:
        user.locked_until, user.failed_logins = None, 0
        audit.record(session, actor, "user.unlock", target_type="user", target_id=user.id)
        session.flush()


def sign_out(session: Session, actor: Principal) -> None:
    """Record that the user signed out."""
    audit.record(session, actor, "user.sign_out", target_type="user", target_id=actor.user_id)


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
