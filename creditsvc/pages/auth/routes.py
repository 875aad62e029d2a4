"""Sign in, sign out, change the password, switch the language."""

from urllib.parse import urlsplit

from flask import Blueprint, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from creditsvc.core.errors import Invalid
from creditsvc.infra.extensions import db
from creditsvc.pages.access import actor
from creditsvc.pages.auth.schemas import ChangePasswordSchema, SignInSchema
from creditsvc.pages.sessions import PageUser, session_stamp
from creditsvc.pages.validation import form_to_data, load_form, refusal_errors
from creditsvc.services.access import accounts
from creditsvc.services.platform.uow import UnitOfWork
from models.base import utcnow

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    """Only a path on this site: never an open redirect to another host."""
    if target and target.startswith("/") and not target.startswith("//") \
            and not urlsplit(target).netloc:
        return target
    return url_for("home.index")


@bp.route("/login", methods=["GET", "POST"])
def login():
    """The sign-in page; five wrong passwords lock the account for 15 minutes."""
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    errors, form = {}, {"next": request.args.get("next", "")}
    if request.method == "POST":
        form = form_to_data(request.form)
        data, errors = load_form(SignInSchema(), {"username": "", "password": "", **form})
        if data is not None:
            with UnitOfWork(db.session) as uow:
                result = accounts.sign_in(uow.session, data["username"], data["password"],
                                          now=utcnow(), request_id=g.get("request_id"))
                uow.commit()  # a failure, its count and a lock are kept too
            if result.user is not None:
                session.clear()
                login_user(PageUser(result.user, session_stamp(result.user)))
                session.permanent = True
                session["seen"] = utcnow().timestamp()
                return redirect(_safe_next(data.get("next")))
            # One answer for every refusal: a lock named only for real accounts would tell
            # which usernames exist (the page says when an account locks).
            errors = {"_form": [_("用户名或密码不正确，或账户已暂时锁定。")]}
        form.pop("password", None)
    status = 200 if not errors else 422
    return render_template("auth/login.html", form=form, errors=errors), status


@bp.post("/logout")
@login_required
def logout():
    """Sign out (audited) and forget the session."""
    with UnitOfWork(db.session) as uow:
        accounts.sign_out(uow.session, actor())
        uow.commit()
    logout_user()
    session.clear()
    flash(_("您已退出登录。"), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Change one's own password (required after an admin set it)."""
    errors = {}
    if request.method == "POST":
        data, errors = load_form(ChangePasswordSchema(), {
            "current_password": "", "new_password": "", "confirm_password": "",
            **form_to_data(request.form)})
        if data is not None:
            try:
                with UnitOfWork(db.session) as uow:
                    user = accounts.change_password(uow.session, actor(), data["current_password"],
                                                    data["new_password"], now=utcnow())
                    uow.commit()
                    stamp = session_stamp(user)
                    login_user(PageUser(user, stamp))
            except Invalid as exc:
                errors = refusal_errors(exc)
            else:
                flash(_("密码已修改。"), "success")
                return redirect(url_for("home.index"))
    status = 200 if not errors else 422
    return render_template("auth/password.html", errors=errors), status


@bp.post("/language")
def language():
    """Switch between 中文 and English for this session."""
    chosen = request.form.get("lang", "zh_CN")
    session["lang"] = chosen if chosen in ("zh_CN", "en") else "zh_CN"
    return redirect(_safe_next(request.form.get("next")))
