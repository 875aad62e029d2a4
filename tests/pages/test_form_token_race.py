"""Two posts of one application form at the same moment (a double click past the page's guard)."""

import threading
import time

from creditsvc.core.errors import Conflict
from creditsvc.infra.extensions import db
from creditsvc.services.loans import applications as svc
from creditsvc.services.platform import idempotency
from tests.pages.cases import FORM, count_applications, household
from tests.pages.people import csrf_of
from tests.pages.test_application_pages import TOKEN


def test_simultaneous_posts_of_one_form_make_one_application(app, as_user, monkeypatch):
    hid, _ = household()
    client = as_user("officer")
    page = client.get(f"/applications/new?household={hid}")
    data = {**FORM, "household_id": hid, "csrf_token": csrf_of(page),
            "form_token": TOKEN.search(page.get_data(as_text=True)).group(1)}
    real = svc.submit

    def slow_submit(*args, **kwargs):
        time.sleep(0.5)  # the second post arrives while the first holds the key
        return real(*args, **kwargs)

    monkeypatch.setattr(svc, "submit", slow_submit)
    held, waited = idempotency.held_response, []

    def counting_held(*args, **kwargs):
        try:
            return held(*args, **kwargs)
        except Conflict as exc:
            waited.append(exc.code)
            raise

    monkeypatch.setattr(idempotency, "held_response", counting_held)
    twin = app.test_client()
    cookie = app.config["SESSION_COOKIE_NAME"]
    twin.set_cookie(cookie, client.get_cookie(cookie).value)
    answers = {}
    # The client's requests ran in this thread's app context: end their transaction (on SQLite
    # it holds the write lock), as a server ends each request's.
    db.session.close()

    def post(name, who):
        with app.app_context():  # each thread is a request of its own, as on a server
            answers[name] = who.post("/applications", data=data)

    threads = [threading.Thread(target=post, args=(name, who))
               for name, who in (("first", client), ("second", twin))]
    for thread in threads:
        thread.start()
        time.sleep(0.1)
    for thread in threads:
        thread.join()
    assert [answers[n].status_code for n in ("first", "second")] == [303, 303]
    assert answers["first"].headers["Location"] == answers["second"].headers["Location"]
    assert count_applications() == 1
    if db.engine.dialect.name == "postgresql":  # SQLite queues the second writer instead
        assert waited and set(waited) == {"idempotency_in_progress"}
