"""A user's real name, and an officer's area (the towns and villages they work in)."""

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _

from creditsvc.core.errors import AppError
from creditsvc.infra.extensions import db
from creditsvc.pages.access import actor, page_roles
from creditsvc.pages.admin.routes import bp, user_view
from creditsvc.pages.admin.schemas import AreasInSchema, DisplayNameInSchema
from creditsvc.pages.validation import form_to_data, load_form, refusal_errors
from creditsvc.services.access import areas, users
from creditsvc.services.platform.uow import UnitOfWork


@bp.post("/users/<string(maxlength=36):user_id>/name")
@page_roles("admin")
def user_name(user_id):
    """Give the user their real name (empty: the login name is shown)."""
    data, errors = load_form(DisplayNameInSchema(), form_to_data(request.form))
    if data is None:
        return user_view(user_id, 422, name_errors=errors)
    with UnitOfWork(db.session) as uow:
        users.set_display_name(uow.session, actor(), user_id, data["display_name"] or None)
        uow.commit()
    flash(_("姓名已保存。"), "success")
    return redirect(url_for("admin.user_page", user_id=user_id))


@bp.post("/users/<string(maxlength=36):user_id>/areas")
@page_roles("admin")
def user_areas(user_id):
    """Make the ticked towns and villages the officer's whole area."""
    data, errors = load_form(AreasInSchema(), form_to_data(request.form, lists=("areas",)))
    if data is not None:
        try:
            with UnitOfWork(db.session) as uow:
                areas.assign(uow.session, actor(), user_id,
                             [areas.Area.parse(text) for text in data["areas"]])
                uow.commit()
        except AppError as exc:
            if exc.status == 404:
                raise
            errors = refusal_errors(exc)
    if errors:
        return user_view(user_id, 422, area_errors=errors)
    flash(_("工作区域已保存。"), "success")
    return redirect(url_for("admin.user_page", user_id=user_id))
