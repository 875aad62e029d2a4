"""Sign-in pages through the test client: CSRF, failures, the lock, first password, sign-out."""

import re

from flask import url_for
from sqlalchemy import select

from creditsvc.infra.extensions import db
from models import AuditEvent, User
from tests.pages.people import Person, csrf_of, make_person, sign_in


def test_pages_need_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_sign_in_page_is_chinese_labelled_and_strict(client):
    response = client.get("/login")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<label class="form-label" for="f-username">用户名' in page
    assert '<label class="form-label" for="f-password">密码' in page
    assert "script-src 'self';" in response.headers["Content-Security-Policy"]
    assert response.headers["Cache-Control"] == "no-store"


def test_a_form_posted_without_its_csrf_token_is_refused(client, people):
    response = client.post("/login", data={"username": people["officer"].name,
                                           "password": people["officer"].password})
    assert response.status_code == 400
    assert "text/html" in response.headers["Content-Type"]
    assert client.get("/").status_code == 302


def _answer(response, *names) -> str:
    """What the sign-in page says, without its tokens and the username typed back."""
    text = re.sub(r'value="[^"]*"', 'value=""', response.get_data(as_text=True))
    text = re.sub(r'"X-CSRFToken": "[^"]*"', '"X-CSRFToken": ""', text)
    for name in names:
        text = text.replace(name, "NAME")
    return text


def test_wrong_password_says_so_without_telling_which(client, people):
    wrong = sign_in(client, people["officer"], "not-the-password-1")
    unknown = sign_in(client, Person("no-such-user", "officer", None, "whatever-pass-1", ""))
    for response in (wrong, unknown):
        assert response.status_code == 422
        assert "用户名或密码不正确，或账户已暂时锁定。" in response.get_data(as_text=True)
    assert _answer(wrong, people["officer"].name) == _answer(unknown, "no-such-user")


def test_five_failures_lock_the_account_and_say_nothing_an_unknown_name_would_not(client, people):
    officer = people["officer"]
    nobody = Person("no-such-user", "officer", None, "whatever-pass-1", "")
    for _ in range(5):
        known = sign_in(client, officer, "not-the-password-1")
        unknown = sign_in(client, nobody)
        assert known.status_code == unknown.status_code == 422
        assert _answer(known, officer.name) == _answer(unknown, nobody.name)
    # The lock holds for the real account: its right password is refused, the same way.
    locked = sign_in(client, officer)
    assert locked.status_code == 422 and client.get("/").status_code == 302
    assert _answer(locked, officer.name) == _answer(unknown, nobody.name)
    assert db.session.get(User, officer.user_id).locked_until is not None


def test_sign_in_goes_back_to_a_local_page_only(client, people):
    token = csrf_of(client.get("/login"))
    response = client.post("/login", data={"username": people["fund"].name,
                                           "password": people["fund"].password,
                                           "next": "//evil.example/x", "csrf_token": token})
    assert response.headers["Location"] == "/"


def test_an_admin_set_password_must_be_changed_first(client, app):
    person = make_person("officer-first", password="Initial-pass-1", must_change=True)
    sign_in(client, person)
    assert client.get("/").headers["Location"] == "/account/password"
    page = client.get("/account/password")
    token = csrf_of(page)
    weak = client.post("/account/password", data={
        "current_password": "Initial-pass-1", "new_password": "weakweakweak",
        "confirm_password": "weakweakweak", "csrf_token": token})
    assert weak.status_code == 422 and "密码须同时包含字母和数字" in weak.get_data(as_text=True)
    differ = client.post("/account/password", data={
        "current_password": "Initial-pass-1", "new_password": "my-own-pass-1",
        "confirm_password": "my-own-pass-2", "csrf_token": token})
    assert "两次输入的新密码不一致" in differ.get_data(as_text=True)
    named = client.post("/account/password", data={
        "current_password": "Initial-pass-1", "new_password": "officer-first-1",
        "confirm_password": "officer-first-1", "csrf_token": token})
    assert "密码不能包含用户名" in named.get_data(as_text=True)
    done = client.post("/account/password", data={
        "current_password": "Initial-pass-1", "new_password": "my-own-pass-1",
        "confirm_password": "my-own-pass-1", "csrf_token": token})
    assert done.status_code == 302 and done.headers["Location"] == "/"
    assert client.get("/", follow_redirects=True).status_code == 200  # the officer's desk


def test_a_password_change_signs_out_other_sessions(app, people):
    other = app.test_client()
    sign_in(other, people["fund"])
    assert other.get("/account/password").status_code == 200
    mine = app.test_client()
    sign_in(mine, people["fund"])
    mine.post("/account/password", data={
        "current_password": people["fund"].password, "new_password": "fresh-pass-2026",
        "confirm_password": "fresh-pass-2026", "csrf_token": csrf_of(mine.get("/account/password"))})
    assert mine.get("/account/password").status_code == 200
    assert other.get("/account/password").status_code == 302


def test_sign_out_is_audited_and_ends_the_session(as_user, people):
    client = as_user("fund")
    token = csrf_of(client.get("/account/password"))
    response = client.post("/logout", data={"csrf_token": token})
    assert response.headers["Location"] == "/login"
    assert client.get("/").status_code == 302
    acts = db.session.execute(select(AuditEvent.action).where(
        AuditEvent.actor_id == people["fund"].user_id)).scalars().all()
    assert "user.sign_in" in acts and "user.sign_out" in acts


def test_unknown_page_is_the_404_page_and_the_api_keeps_json(client):
    page = client.get("/no-such-page")
    assert page.status_code == 404 and "text/html" in page.headers["Content-Type"]
    assert "找不到这个页面" in page.get_data(as_text=True)
    api = client.get("/api/v1/no-such-thing")
    assert api.status_code == 404 and api.is_json
    assert "Set-Cookie" not in api.headers


def test_each_role_lands_on_its_desk(app, as_user):
    desks = {"officer": "desk.index", "psbc": "bank.desk", "fund": "fund_office.overview",
             "admin": "admin.users_list"}
    for who, endpoint in desks.items():
        page = as_user(who).get("/")
        with app.test_request_context():
            assert (page.status_code, page.headers["Location"]) == (302, url_for(endpoint)), who
