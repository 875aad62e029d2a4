"""公示: start it, the list as a page and on paper, objections and their resolution; 授信."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from creditsvc.core.errors import AppError
from creditsvc.infra import clock
from creditsvc.infra.extensions import db
from creditsvc.pages.access import actor, page_roles
from creditsvc.pages.campaigns.blueprint import bp, the_campaign
from creditsvc.pages.campaigns.routes import step
from creditsvc.pages.households.blueprint import cipher
from creditsvc.pages.validation import all_errors, form_to_data, load_form, refusal_errors
from creditsvc.schemas.campaigns import ObjectionInSchema, ResolutionSchema
from creditsvc.services.access import users
from creditsvc.services.campaign import grant, notice
from creditsvc.services.platform.uow import UnitOfWork
from lending.credit_lines import notice_ended


@bp.post("/<campaign_id>/notice")
@page_roles("officer")
def start_notice(campaign_id):
    """Post the list publicly (公示) from today for the policy's notice days."""
    return step(campaign_id,
                lambda s: notice.start_notice(s, actor(), campaign_id, clock.today()),
                _("公示已开始。请打印公示名单张贴。"))


def _notice_page(campaign_id: str, *, errors=None, raw=None, status=200):
    c = the_campaign(campaign_id)
    rows = notice.notice_list(db.session, c.id)
    heard = notice.objections(db.session, c.id)
    staff = users.names_of(db.session, {o.resolved_by for o, _ in heard if o.resolved_by}
                           | {o.recorded_by for o, _ in heard})
    return render_template(
        "campaigns/notice.html", c=c, rows=rows, staff=staff,
        rows_choices=[(e.id, f"{h.head_name_masked} {h.id_number_masked} {h.village}")
                      for e, h, _grade in rows],
        objections=heard,
        errors=errors or {}, raw=raw or {}, today=clock.today(),
        ended=notice_ended(clock.today(), c.notice_until)), status


@bp.get("/<campaign_id>/notice")
@page_roles("officer")
def notice_page(campaign_id):
    """The 公示 list, its objections, and the forms to record and resolve them."""
    return _notice_page(campaign_id)


@bp.get("/<campaign_id>/notice/print")
@page_roles("officer")
def notice_print(campaign_id):
    """The 公示 list on A4 paper, to post in the village, with the committee's signatures."""
    c = the_campaign(campaign_id)
    return render_template("campaigns/notice_print.html", c=c,
                           rows=notice.notice_list(db.session, c.id))


@bp.post("/<campaign_id>/objections")
@page_roles("officer")
def raise_objection(campaign_id):
    """Record an objection heard during 公示."""
    raw = form_to_data(request.form)
    data, errors = load_form(ObjectionInSchema(), raw)
    if errors:
        return _notice_page(campaign_id, errors=errors, raw=raw, status=422)
    try:
        with UnitOfWork(db.session) as uow:
            notice.raise_objection(uow.session, actor(), cipher(), campaign_id,
                                   today=clock.today(), **data)
            uow.commit()
    except AppError as exc:
        if exc.status == 404 and exc.code == "campaign_not_found":
            raise
        return _notice_page(campaign_id, errors=refusal_errors(exc), raw=raw, status=exc.status)
    flash(_("异议已登记。"), "success")
    return redirect(url_for("campaign_pages.notice_page", campaign_id=campaign_id), 303)


@bp.post("/<campaign_id>/objections/<objection_id>/resolution")
@page_roles("officer")
def resolve_objection(campaign_id, objection_id):
    """Resolve an objection: dismissed, or upheld (the household's line lowered or removed)."""
    raw = form_to_data(request.form)
    data, errors = load_form(ResolutionSchema(), raw)
    prefix = f"r-{objection_id}-"
    if errors:
        return _notice_page(campaign_id, errors={prefix + k: v for k, v in errors.items()},
                            raw={prefix + k: v for k, v in raw.items()}, status=422)
    try:
        with UnitOfWork(db.session) as uow:
            notice.resolve_objection(uow.session, actor(), campaign_id, objection_id, **data)
            uow.commit()
    except AppError as exc:
        if exc.status == 404 and exc.code == "campaign_not_found":
            raise
        shown = {prefix + k: v for k, v in refusal_errors(exc).items() if k != "_form"}
        return _notice_page(campaign_id, errors=all_errors(shown, {"_form": [exc.text()]}),
                            raw={prefix + k: v for k, v in raw.items()}, status=exc.status)
    flash(_("异议已处理。"), "success")
    return redirect(url_for("campaign_pages.notice_page", campaign_id=campaign_id), 303)


@bp.post("/<campaign_id>/grant")
@page_roles("officer")
def grant_lines(campaign_id):
    """Confirm the grant once 公示 has ended with no objection open (授信)."""
    return step(campaign_id, lambda s: grant.grant(s, actor(), campaign_id, clock.today()),
                _("已授信。各户的授信额度已生效。"))
