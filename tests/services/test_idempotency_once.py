"""services/platform/idempotency.run_once: the one claim/run/remember sequence every entry point uses."""

import pytest

from creditsvc.core.errors import Invalid
from creditsvc.services.platform import idempotency
from creditsvc.services.platform.uow import UnitOfWork
from tests.books import user_id

KEPT = idempotency.StoredResponse(303, b"", {"Location": "/applications/x"})


@pytest.fixture
def officer(session, keys):
    keys.key("officer")
    return user_id(session, "officer-x")


def _once(session, officer, key, req_hash, work, keep=lambda r: r):
    with UnitOfWork(session) as uow:
        once = idempotency.run_once(uow.session, officer, key, req_hash, work, keep)
        if once.remembered:
            uow.commit()
    return once


def test_the_first_run_is_remembered_and_the_second_replayed(session, officer):
    runs = []
    first = _once(session, officer, "form-1", "h1", lambda: runs.append(1) or KEPT)
    assert first.remembered and first.result == KEPT and first.replayed is None
    again = _once(session, officer, "form-1", "h1", lambda: runs.append(2) or KEPT)
    assert again.replayed == KEPT and again.result is None and runs == [1]


def test_a_result_not_kept_leaves_the_key_free(session, officer):
    refused = _once(session, officer, "form-2", "h2", lambda: "refused", keep=lambda r: None)
    assert refused.result == "refused" and not refused.remembered
    later = _once(session, officer, "form-2", "h2", lambda: KEPT)
    assert later.remembered


def test_the_same_key_for_another_request_is_refused(session, officer):
    _once(session, officer, "form-3", "h3", lambda: KEPT)
    with pytest.raises(Invalid) as refused:
        _once(session, officer, "form-3", "other", lambda: KEPT)
    assert refused.value.code == "idempotency_key_reused"


def test_keys_are_scoped_to_their_user(session, officer, keys):
    keys.key("officer", name="officer-2")
    other = user_id(session, "officer-2")
    _once(session, officer, "form-4", "h4", lambda: KEPT)
    assert _once(session, other, "form-4", "different", lambda: KEPT).remembered
