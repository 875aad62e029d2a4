"""The bank's days-past-due feed as a page: template, upload, preview in Chinese, confirm, progress.

The upload is read once: its preview (feed_preview, which writes and locks nothing) is shown
beside a held job that keeps the file; confirming releases the job to the workers.
"""

from flask import render_template, request
from flask_babel import gettext as _

from creditsvc.core.errors import AppError
from creditsvc.infra import clock
from creditsvc.infra.downloads import attachment
from creditsvc.infra.extensions import db
from creditsvc.infra.uploads import read_upload
from creditsvc.jobs.kinds import STATUS_FEED
from creditsvc.pages.access import actor, page_roles
from creditsvc.pages.jobs.routes import bp, held_hours
from creditsvc.pages.validation import refusal_errors
from creditsvc.services.feed import files as feed_files
from creditsvc.services.feed import preview as feed_preview
from creditsvc.services.platform import jobs
from creditsvc.services.platform.uow import UnitOfWork

MAX_FEED_BYTES = 64 * 1024 * 1024  # a province's nightly feed as XLSX is tens of MiB


@bp.get("/feed")
@page_roles("bank")
def feed():
    """The upload form, with the template to fill in."""
    return render_template("jobs/feed.html", errors={})


@bp.get("/feed/template.<any(csv, xlsx):kind>")
@page_roles("bank")
def feed_template(kind):
    """The feed template with its Chinese headers."""
    return attachment(*feed_files.template(kind))


@bp.post("/feed")
@page_roles("bank")
def feed_upload():
    """Preview the uploaded file's rows (each bad row's problem in Chinese) and hold it."""
    request.max_content_length = MAX_FEED_BYTES
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return render_template("jobs/feed.html", errors={"file": [_("请选择要上传的文件")]}), 422
    try:
        name, body = read_upload(upload, (".csv", ".xlsx"), MAX_FEED_BYTES, default="feed.csv",
                                 code="feed_file_invalid")
        summary = feed_preview.preview(db.session, actor(), body, name, today=clock.today())
        UnitOfWork(db.session).rollback()  # the preview wrote nothing; end its read transaction
        kind = feed_files.XLSX_TYPE if name.lower().endswith(".xlsx") else feed_files.CSV_TYPE
        with UnitOfWork(db.session) as uow:
            job = jobs.submit(uow.session, actor(), STATUS_FEED, {"filename": name},
                              files=((name, kind, body),), held=True)
            job_id = job.id
            uow.commit()
    except AppError as exc:
        return render_template("jobs/feed.html", errors=refusal_errors(exc)), 422
    return render_template("jobs/feed_preview.html", summary=summary, name=name, job_id=job_id,
                           held_hours=held_hours())
