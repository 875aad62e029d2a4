"""The campaign list, opening one, the campaign's page with each step's state, rating, cancel."""

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from creditsvc.core.errors import AppError
from creditsvc.infra import clock
from creditsvc.infra.extensions import db
from creditsvc.pages.access import actor, page_roles
from creditsvc.pages.campaigns.blueprint import bp, the_campaign
from creditsvc.pages.validation import form_to_data, load_form, refusal_errors
from creditsvc.schemas.campaigns import CampaignOpenSchema, CampaignQuerySchema
from creditsvc.services.access.areas import areas_of
from creditsvc.services.campaign import campaigns, committee, notice
from creditsvc.services.campaign import rate as rating_step
from creditsvc.services.platform.uow import UnitOfWork
from models import Job

PAGE_SIZE = 20


def area_choices() -> list[tuple[str, str]]:
    """The areas an officer may open a campaign for: each whole town assigned, every village."""
    out = []
    for a in areas_of(db.session, actor().user_id):
        if a.village is None:
            out.append((a.town, _("%(town)s（全镇）", town=a.town)))
            out.extend((f"{a.town}/{v}", f"{a.town} {v}")
                       for v in campaigns.villages_of(db.session, a.town))
        else:
            out.append((a.key, f"{a.town} {a.village}"))
    return out


def _list(errors=None, raw=None, status=200):
    query, query_errors = load_form(CampaignQuerySchema(), form_to_data(request.args))
    query = query or {}
    page = campaigns.list_campaigns(db.session, actor(), status=query.get("status"),
                                    after=query.get("after"), before=query.get("before"),
                                    page_size=PAGE_SIZE)
    counts = {c.id: campaigns.counts(c) for c in page.items}
    return render_template("campaigns/index.html", page=page, counts=counts,
                           choices=area_choices(), areas=areas_of(db.session, actor().user_id),
                           errors={**query_errors, **(errors or {})}, raw=raw or {},
                           status_filter=query.get("status")), status


@bp.get("")
@page_roles("officer")
def index():
    """The campaigns of my area, and the form that opens one."""
    return _list()


@bp.post("")
@page_roles("officer")
def open_campaign():
    """Open a campaign for the area chosen."""
    raw = form_to_data(request.form)
    town, _sep, village = raw.get("area", "").partition("/")
    data, errors = load_form(CampaignOpenSchema(),
                             {"town": town, **({"village": village} if village else {})})
    if errors:
        return _list({"area": sum(errors.values(), []), "_form": sum(errors.values(), [])}, raw, 422)
    try:
        with UnitOfWork(db.session) as uow:
            made = campaigns.open_campaign(uow.session, actor(), town=data["town"],
                                           village=data["village"], today=clock.today())
            uow.commit()
    except AppError as exc:
        return _list(refusal_errors(exc), raw, exc.status)
    flash(_("已建立评级活动 %(number)s。", number=made.number), "success")
    return redirect(url_for("campaign_pages.show", campaign_id=made.id), 303)


def rating_job(campaign_id: str) -> Job | None:
    """The latest rating job of the campaign (a campaign has few; its id is in the job's args)."""
    recent = db.session.execute(select(Job).where(Job.kind == rating_step.KIND)
                                .order_by(Job.created_at.desc()).limit(200)).scalars()
    return next((j for j in recent if (j.args or {}).get("campaign_id") == campaign_id), None)


def show_page(campaign_id: str, *, error: str | None = None, status: int = 200):
    """The campaign's page: each step's state, the list, and what can be done next."""
    c = the_campaign(campaign_id)
    rows = committee.entries(db.session, c.id)
    counts = campaigns.counts(c)
    objections = notice.objections(db.session, c.id) if c.status in ("notice", "granted") else []
    return render_template(
        "campaigns/show.html", c=c, rows=rows, counts=counts, job=rating_job(c.id),
        objections=objections, open_objections=sum(1 for o, _ in objections if o.status == "open"),
        today=clock.today(), error=error), status


@bp.get("/<campaign_id>")
@page_roles("officer")
def show(campaign_id):
    """One campaign: 调查 → 评级 → 评议 → 公示 → 授信, each step's state."""
    return show_page(campaign_id)


def step(campaign_id: str, work, done_text: str):
    """Run one step's WORK in a unit of work; its refusal is shown on the campaign page."""
    try:
        with UnitOfWork(db.session) as uow:
            work(uow.session)
            uow.commit()
    except AppError as exc:
        if exc.status == 404:
            raise
        return show_page(campaign_id, error=exc.text(), status=exc.status)
    flash(done_text, "success")
    return redirect(url_for("campaign_pages.show", campaign_id=campaign_id), 303)


@bp.post("/<campaign_id>/rating")
@page_roles("officer")
def rate(campaign_id):
    """Rate every household on the list (a background job)."""
    return step(campaign_id, lambda s: rating_step.submit_rating(s, actor(), campaign_id),
                _("评级任务已提交，完成后本页自动刷新。"))


@bp.get("/<campaign_id>/rating")
@page_roles("officer")
def rating_progress(campaign_id):
    """The rating job's progress (htmx polls it); the page reloads once the campaign is rated."""
    c = the_campaign(campaign_id)
    job = rating_job(c.id)
    if c.status != "open" or (job is not None and job.status in ("done", "failed")):
        response = Response("")
        response.headers["HX-Refresh"] = "true"
        return response
    return render_template("campaigns/_rating.html", c=c, job=job)


@bp.post("/<campaign_id>/cancel")
@page_roles("officer")
def cancel(campaign_id):
    """Cancel the campaign (before its lines are granted)."""
    return step(campaign_id,
                lambda s: campaigns.cancel_campaign(s, actor(), campaign_id, clock.today()),
                _("评级活动已撤销。"))
