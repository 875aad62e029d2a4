"""Administration: users (create, role and bank, password, lock, disable), API keys, banks, models.

A new API key or initial password is shown once, on the page that answers the form post, and
never again: it is not put in the session cookie to survive a redirect.
"""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from creditsvc.core.errors import AppError
from creditsvc.infra.extensions import db
from creditsvc.pages.access import actor, page_roles
from creditsvc.pages.admin.schemas import RoleInSchema, UserInSchema
from creditsvc.pages.labels import choices
from creditsvc.pages.validation import all_errors, form_to_data, load_form, refusal_errors, refusals_errors
from creditsvc.services.access import accounts, areas, users
from creditsvc.services.platform.uow import UnitOfWork
from models import ApiKey, Bank
from models.base import utcnow

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _shown_once(title: str, user, *, key: str | None = None, password: str | None = None):
    """The one page that shows a new secret; the pages' no-store header keeps it out of caches."""
    return render_template("admin/secret.html", title=title, user=user, key=key,
                           password=password)


@bp.get("/users")
@page_roles("admin")
def users_list():
    """Every user, their role and bank, and whether they can sign in."""
    key_counts = dict(db.session.execute(
        select(ApiKey.user_id, func.count()).where(ApiKey.revoked_at.is_(None))
        .group_by(ApiKey.user_id)).all())
    rows = users.list_users(db.session)
    return render_template("admin/users.html", users=rows, key_counts=key_counts, now=utcnow(),
                           areas=areas.areas_by_user(db.session, {u.id for u in rows}))


@bp.route("/users/new", methods=["GET", "POST"])
@page_roles("admin")
def user_new():
    """Create a user with an API key and an initial password, both shown once."""
    form, errors = {}, {}
    if request.method == "POST":
        form = form_to_data(request.form)
        data, errors = load_form(UserInSchema(), form)
        # Every error at once: the service's too, for what the schema has not refused.
        role_ok = not {"role", "bank_code"} & errors.keys()
        errors = all_errors(errors, refusals_errors(users.user_refusals(
            db.session, None if "name" in errors else form.get("name"),
            form.get("role") if role_ok else None, form.get("bank_code"))))
        if not errors:
            try:
                with UnitOfWork(db.session) as uow:
                    user, key = users.create_user(uow.session, actor(), data["name"],
                                                  data["role"], data["bank_code"],
                                                  display_name=data["display_name"] or None)
                    password = accounts.reset_password(uow.session, actor(), user.name,
                                                       now=utcnow())
                    uow.commit()
            except AppError as exc:
                errors = refusal_errors(exc)
            else:
                return _shown_once(_("已创建用户"), user, key=key, password=password)
    return render_template("admin/user_new.html", form=form, errors=errors,
                           roles=choices("role"), banks=choices("bank")), 422 if errors else 200


@bp.get("/users/<string(maxlength=36):user_id>")
@page_roles("admin")
def user_page(user_id):
    """One user: role and bank, password and lock, keys."""
    return user_view(user_id)


def user_view(user_id: str, status: int = 200, **forms):
    """The user page; FORMS carries a refused form's values and errors (errors, name_errors…)."""
    user = users.get_user(db.session, user_id)
    keys = db.session.execute(select(ApiKey).where(ApiKey.user_id == user.id)
                              .order_by(ApiKey.created_at)).scalars().all()
    context = {"errors": {}, "name_errors": {}, "area_errors": {}, **forms}
    assigned = areas.areas_of(db.session, user.id)
    return render_template("admin/user.html", user=user, keys=keys, roles=choices("role"),
                           banks=choices("bank"), now=utcnow(), areas=[a.key for a in assigned],
                           villages=areas.known_villages(db.session, assigned),
                           **context), status


@bp.post("/users/<string(maxlength=36):user_id>/role")
@page_roles("admin")
def user_role(user_id):
    """Give the user another role (and bank)."""
    data, errors = load_form(RoleInSchema(), form_to_data(request.form))
    if data is not None:
        try:
            with UnitOfWork(db.session) as uow:
                users.change_role(uow.session, actor(), user_id, data["role"], data["bank_code"])
                uow.commit()
        except AppError as exc:
            errors = refusal_errors(exc)
    if errors:
        return user_view(user_id, 422, errors=errors)
    flash(_("角色已更新。"), "success")
    return redirect(url_for("admin.user_page", user_id=user_id))


@bp.post("/users/<string(maxlength=36):user_id>/password")
@page_roles("admin")
def user_password(user_id):
    """A new initial password (shown once); the user must change it at sign-in."""
    with UnitOfWork(db.session) as uow:
        user = users.get_user(uow.session, user_id)
        password = accounts.reset_password(uow.session, actor(), user.name, now=utcnow())
        uow.commit()
    return _shown_once(_("已重置密码"), user, password=password)


@bp.post("/users/<string(maxlength=36):user_id>/unlock")
@page_roles("admin")
def user_unlock(user_id):
    """Lift a sign-in lock."""
    with UnitOfWork(db.session) as uow:
        accounts.unlock(uow.session, actor(), users.get_user(uow.session, user_id))
        uow.commit()
    flash(_("已解除锁定。"), "success")
    return redirect(url_for("admin.user_page", user_id=user_id))


@bp.post("/users/<string(maxlength=36):user_id>/disable")
@page_roles("admin")
def user_disable(user_id):
    """Disable a user: no sign-in, and every API key stops working."""
    with UnitOfWork(db.session) as uow:
        user = users.get_user(uow.session, user_id)
        if user.id == actor().user_id:
            flash(_("不能停用自己的账户。"), "danger")
            return redirect(url_for("admin.user_page", user_id=user_id))
        users.revoke_user(uow.session, actor(), user.name)
        uow.commit()
    flash(_("用户已停用，其接口密钥同时失效。"), "success")
    return redirect(url_for("admin.user_page", user_id=user_id))


@bp.post("/users/<string(maxlength=36):user_id>/keys")
@page_roles("admin")
def key_new(user_id):
    """A further API key for the user (shown once)."""
    with UnitOfWork(db.session) as uow:
        user = users.get_user(uow.session, user_id)
        key = users.issue_key(uow.session, actor(), user.name)
        uow.commit()
    return _shown_once(_("已创建接口密钥"), user, key=key)


@bp.post("/users/<string(maxlength=36):user_id>/keys/<string(maxlength=36):key_id>/revoke")
@page_roles("admin")
def key_revoke(user_id, key_id):
    """Revoke one API key."""
    with UnitOfWork(db.session) as uow:
        users.revoke_key(uow.session, actor(), user_id, key_id)
        uow.commit()
    flash(_("接口密钥已吊销。"), "success")
    return redirect(url_for("admin.user_page", user_id=user_id))


@bp.get("/banks")
@page_roles("admin")
def banks():
    """The partner banks and their shares of the fund's capacity."""
    rows = db.session.execute(select(Bank).order_by(Bank.code)).scalars().all()
    return render_template("admin/banks.html", banks=rows)
