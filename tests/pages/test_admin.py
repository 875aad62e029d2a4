"""Administration pages: users, roles, passwords, locks, keys, banks and the model registry."""

import re

from sqlalchemy import select

from creditsvc.infra.extensions import db
from models import ApiKey, AuditEvent, User
from tests.pages.people import Person, csrf_of, sign_in


def post(client, path, data=None, page="/admin/users"):
    return client.post(path, data={**(data or {}), "csrf_token": csrf_of(client.get(page))})


def shown(response, what):
    return re.search(what + r'</dt><dd class="col-sm-9"><code[^>]*>([^<]+)</code>',
                     response.get_data(as_text=True)).group(1)


def test_only_admins_open_administration(as_user):
    for who in ("officer", "psbc", "fund"):
        assert as_user(who).get("/admin/users").status_code == 403
    page = as_user("admin").get("/admin/users")
    assert page.status_code == 200 and "officer-li" in page.get_data(as_text=True)


def test_admin_lands_on_users(as_user):
    assert as_user("admin").get("/").headers["Location"] == "/admin/users"


def test_create_a_user_shows_key_and_password_once_and_they_work(app, as_user):
    admin = as_user("admin")
    response = post(admin, "/admin/users/new", {"name": "li.ming", "role": "bank",
                                                "bank_code": "ABC"})
    assert response.status_code == 200
    key, password = shown(response, "接口密钥"), shown(response, "初始密码")
    assert response.headers["Cache-Control"] == "no-store"
    user = db.session.execute(select(User).where(User.name == "li.ming")).scalar_one()
    assert user.role == "bank" and user.bank_code == "ABC" and user.must_change_password
    # The page of the user never shows them again.
    again = admin.get(f"/admin/users/{user.id}").get_data(as_text=True)
    assert key not in again and password not in again
    client = app.test_client()
    sign_in(client, Person("li.ming", "bank", "ABC", password, user.id))
    assert client.get("/").headers["Location"] == "/account/password"
    api = app.test_client().get("/api/v1/applications", headers={"Authorization": f"Bearer {key}"})
    assert api.status_code == 200


def test_create_refusals_are_shown_beside_the_fields(as_user, people):
    admin = as_user("admin")
    bad = post(admin, "/admin/users/new", {"name": "Li Ming!", "role": "bank"})
    text = bad.get_data(as_text=True)
    assert bad.status_code == 422 and 'id="name-error"' in text
    no_bank = post(admin, "/admin/users/new", {"name": "li.two", "role": "bank"})
    assert no_bank.status_code == 422 and 'id="bank_code-error"' in no_bank.get_data(as_text=True)
    taken = post(admin, "/admin/users/new", {"name": people["officer"].name, "role": "officer"})
    assert taken.status_code == 422 and 'id="name-error"' in taken.get_data(as_text=True)
    assert db.session.execute(select(User).where(User.name == "li.two")).first() is None


def test_every_refusal_of_a_new_user_is_shown_at_once(as_user, people):
    admin = as_user("admin")
    both = post(admin, "/admin/users/new", {"name": people["officer"].name, "role": "bank",
                                           "display_name": "名" * 65})
    text = both.get_data(as_text=True)
    assert both.status_code == 422
    for field in ("name", "bank_code", "display_name"):
        assert f'id="{field}-error"' in text, field
    assert len(db.session.execute(select(User).where(User.name == people["officer"].name)).all()) == 1


def test_role_change_reset_unlock_and_disable(app, as_user, people):
    admin = as_user("admin")
    target = people["officer2"]
    page = f"/admin/users/{target.user_id}"
    moved = post(admin, f"{page}/role", {"role": "bank", "bank_code": "PSBC"}, page)
    assert moved.status_code == 302
    assert db.session.get(User, target.user_id).bank_code == "PSBC"
    refused = post(admin, f"{page}/role", {"role": "officer", "bank_code": "PSBC"}, page)
    assert refused.status_code == 422
    reset = post(admin, f"{page}/password", page=page)
    password = shown(reset, "初始密码")
    client = app.test_client()
    for _ in range(5):
        sign_in(client, target, "wrong-pass-123")
    locked = sign_in(client, target, password)  # the right password, refused while locked
    assert locked.status_code == 422 and "账户已暂时锁定" in locked.get_data(as_text=True)
    assert db.session.get(User, target.user_id).locked_until is not None
    post(admin, f"{page}/unlock", page=page)
    assert sign_in(client, target, password).status_code == 302
    post(admin, f"{page}/disable", page=page)
    assert app.test_client().get("/").status_code == 302
    assert sign_in(app.test_client(), target, password).status_code == 422
    actions = set(db.session.execute(select(AuditEvent.action).where(
        AuditEvent.target_id == target.user_id)).scalars())
    assert {"user.role_change", "user.password_set", "user.unlock", "user.revoke"} <= actions


def test_an_admin_cannot_disable_themselves(as_user, people):
    admin = as_user("admin")
    page = f"/admin/users/{people['admin'].user_id}"
    post(admin, f"{page}/disable", page=page)
    assert db.session.get(User, people["admin"].user_id).revoked_at is None


def test_keys_made_once_and_revoked(app, as_user, people):
    admin = as_user("admin")
    page = f"/admin/users/{people['psbc'].user_id}"
    key = shown(post(admin, f"{page}/keys", page=page), "接口密钥")
    headers = {"Authorization": f"Bearer {key}"}
    assert app.test_client().get("/api/v1/applications", headers=headers).status_code == 200
    row = db.session.execute(select(ApiKey).where(ApiKey.user_id == people["psbc"].user_id)
                             .order_by(ApiKey.created_at.desc())).scalars().first()
    post(admin, f"{page}/keys/{row.id}/revoke", page=page)
    assert app.test_client().get("/api/v1/applications", headers=headers).status_code == 401


def test_banks_and_models_pages(as_user):
    admin = as_user("admin")
    banks = admin.get("/admin/banks").get_data(as_text=True)
    assert "中国邮政储蓄银行" in banks and "60.00%" in banks
    models = admin.get("/admin/models")
    assert models.status_code == 200 and "冠军模型（在用）" in models.get_data(as_text=True)


def test_forced_promotion_needs_a_reason(as_user):
    admin = as_user("admin")
    refused = post(admin, "/admin/models/promote", {"version": "0" * 12, "force": "true"},
                   "/admin/models")
    assert refused.status_code == 422 and "强制启用须写明原因" in refused.get_data(as_text=True)
    unknown = post(admin, "/admin/models/promote", {"version": "0" * 12, "force": "true",
                                                    "reason": "audit board decision 12"},
                   "/admin/models")
    assert unknown.status_code == 422
