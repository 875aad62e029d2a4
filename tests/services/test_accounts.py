"""Passwords and sign-in: Argon2id hashes, the lock after five failures, the audit of each."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from creditsvc.core.errors import Invalid
from creditsvc.core.principal import Principal
from creditsvc.infra.extensions import db
from creditsvc.services.access import accounts
from creditsvc.services.platform.uow import UnitOfWork
from models import AuditEvent, User
from models.base import utcnow
from tests.pages.people import make_person


def attempt(name, password, now):
    with UnitOfWork(db.session) as uow:
        result = accounts.sign_in(uow.session, name, password, now=now)
        uow.commit()
    return result


def actions(target_id=None):
    query = select(AuditEvent.action, AuditEvent.outcome).order_by(AuditEvent.seq)
    if target_id:
        query = query.where(AuditEvent.target_id == target_id)
    return [tuple(r) for r in db.session.execute(query)]


@pytest.mark.parametrize("password, problem", [
    ("short1", "password_too_short"), ("onlyletters-here", "password_too_simple"),
    ("1234567890123", "password_too_simple"), ("li-wei-2026-pass", "password_contains_username"),
    ("x1" * 65, "password_too_long"), ("a-good-pass-2026", None)])
def test_password_rules(password, problem):
    assert accounts.password_problem(password, "li-wei") == problem


def test_hash_is_argon2id_and_never_the_password(app):
    person = make_person("li-hash")
    stored = db.session.get(User, person.user_id).password_hash
    assert stored.startswith("$argon2id$") and person.password not in stored


def test_right_password_signs_in_and_is_audited(app):
    person = make_person("li-ok")
    result = attempt("li-ok", person.password, utcnow())
    assert result.user is not None and result.refusal is None
    assert ("user.sign_in", "ok") in actions(person.user_id)


def test_five_failures_lock_for_fifteen_minutes_then_it_opens(app):
    person = make_person("li-lock")
    now = utcnow()
    for _ in range(4):
        assert attempt("li-lock", "wrong-pass-1", now).refusal == "invalid_credentials"
    locked = attempt("li-lock", "wrong-pass-1", now)
    assert locked.refusal == "account_locked"
    assert locked.locked_until == now + timedelta(minutes=15)
    # Locked: even the right password is refused, and the refusal is recorded.
    assert attempt("li-lock", person.password, now + timedelta(minutes=14)).refusal == "account_locked"
    assert attempt("li-lock", person.password, now + timedelta(minutes=16)).user is not None
    recorded = actions(person.user_id)
    assert recorded.count(("user.sign_in", "refused")) == 6
    assert recorded.count(("user.lock", "ok")) == 1


def test_unknown_user_is_refused_like_a_wrong_password(app):
    assert attempt("nobody", "whatever-1", utcnow()).refusal == "invalid_credentials"
    assert ("user.sign_in", "refused") in actions()


def test_every_refusal_hashes_a_password_so_none_answers_sooner(app, monkeypatch):
    person = make_person("li-timing")
    now, hashed = utcnow(), []
    real = accounts._verify
    monkeypatch.setattr(accounts, "_verify",
                        lambda stored, password: hashed.append(password) or real(stored, password))
    for name, password in (("nobody", "whatever-1"), ("li-timing", "wrong-pass-1")):
        hashed.clear()
        assert attempt(name, password, now).user is None
        assert hashed == [password], name
    for _ in range(5):
        attempt("li-timing", "wrong-pass-1", now)
    hashed.clear()  # locked: the password is still hashed, though the answer is already known
    assert attempt("li-timing", person.password, now).refusal == "account_locked"
    assert hashed == [person.password]


def test_revoked_user_cannot_sign_in(app):
    person = make_person("li-gone")
    db.session.get(User, person.user_id).revoked_at = utcnow()
    db.session.commit()
    assert attempt("li-gone", person.password, utcnow()).refusal == "invalid_credentials"


def test_change_password_needs_the_current_one(app):
    person = make_person("li-change", must_change=True)
    actor = Principal(person.user_id, person.name, "officer")
    with UnitOfWork(db.session) as uow, pytest.raises(Invalid) as wrong:
        accounts.change_password(uow.session, actor, "not-it-1234", "new-pass-2026", now=utcnow())
    assert wrong.value.code == "wrong_password"
    with UnitOfWork(db.session) as uow:
        user = accounts.change_password(uow.session, actor, person.password, "new-pass-2026",
                                        now=utcnow())
        uow.commit()
    assert user.must_change_password is False
    assert attempt("li-change", "new-pass-2026", utcnow()).user is not None
