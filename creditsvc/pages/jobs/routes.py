"""A job's page: its progress, polled by htmx until it ends, then its result to download.

The progress fragment carries `hx-trigger="every 1s"` only while the job is queued or
running; once it ends, the fragment comes back without it and the polling stops (htmx 2 and
4 alike).
"""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from creditsvc.core.errors import AppError, NotFound
from creditsvc.infra.downloads import attachment
from creditsvc.infra.extensions import db
from creditsvc.jobs.kinds import STATUS_FEED
from creditsvc.pages.access import actor, page_roles
from creditsvc.pages.jobs.messages import job_message
from creditsvc.pages.once import act_once, new_token
from creditsvc.pages.validation import refusal_errors
from creditsvc.services.platform import jobs

bp = Blueprint("job_pages", __name__, url_prefix="/jobs")
# The roles that see some kind of job; which jobs each sees is the service's (jobs.READERS).
ROLES = tuple(sorted(frozenset().union(*jobs.READERS.values())))
RUNNING = ("queued", "running")
bp.add_app_template_global(job_message)
bp.add_app_template_global(new_token)  # the held job's two forms (jobs/_held.html)


@bp.get("")
@page_roles(*ROLES)
def index():
    """The latest jobs the user may see (a bank's staff: their bank's feeds)."""
    return render_template("jobs/index.html", jobs=jobs.list_jobs(db.session, actor()))


@bp.get("/<string(maxlength=36):job_id>")
@page_roles(*ROLES)
def show(job_id):
    """One job: what it is, its progress, and when done its summary and result file."""
    return _show(jobs.get_job(db.session, actor(), job_id), {})


@bp.get("/<string(maxlength=36):job_id>/progress")
@page_roles(*ROLES)
def progress(job_id):
    """The progress fragment htmx polls (it stops polling once the job has ended)."""
    job = jobs.get_job(db.session, actor(), job_id)
    return render_template("jobs/_progress.html", job=job, running=RUNNING)


@bp.get("/<string(maxlength=36):job_id>/result")
@page_roles(*ROLES)
def result(job_id):
    """Download a finished job's result file."""
    row, body = jobs.result_file(db.session, actor(), job_id)
    return attachment(body, row.content_type, row.filename)


@bp.post("/<string(maxlength=36):job_id>/confirm")
@page_roles(*ROLES)
def confirm(job_id):
    """Start a held job (the previewed feed): once per form token; its progress after."""
    return _decide(job_id, jobs.confirm, _("已提交，后台处理中。"), "success")


@bp.post("/<string(maxlength=36):job_id>/cancel")
@page_roles(*ROLES)
def cancel(job_id):
    """Give up a held job (the previewed feed): its file is dropped, nothing is applied.

    A feed goes back to the upload form, where the corrected file is sent.
    """
    return _decide(job_id, jobs.cancel, _("已放弃此文件，未做任何处理。"), "info")


def held_hours() -> float:
    """How long a held job waits for its owner (JOBS_HELD_HOURS), as the pages say it."""
    return float(current_app.config.get("JOBS_HELD_HOURS", jobs.HELD_HOURS))


def _show(job, errors: dict):
    return render_template("jobs/show.html", job=job, running=RUNNING, errors=errors,
                           held_hours=held_hours(), mine=job.owner_id == actor().user_id)


def _decide(job_id: str, decision, done: str, category: str):
    """Confirm or cancel the owner's held job, once per form token, and say so."""
    def work(session) -> str:
        job = decision(session, actor(), job_id)
        if job.status == "cancelled" and job.kind == STATUS_FEED:
            return url_for("job_pages.feed")
        return url_for("job_pages.show", job_id=job_id)

    try:
        location, _replayed = act_once(request.path, request.form.get("form_token"), {}, work)
    except NotFound:
        raise  # another user's job: the 404 page
    except AppError as exc:
        return _show(jobs.get_job(db.session, actor(), job_id), refusal_errors(exc)), 422
    flash(done, category)
    return redirect(location)
