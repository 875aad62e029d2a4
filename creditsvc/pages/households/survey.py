"""调查导入: the survey spreadsheet in, as the bank feed's file comes in (upload, preview, confirm).

The upload is read, checked and planned at once (nothing written) and kept in a held job; the
preview lists each problem by row and column in Chinese, with the officer's own file marked
up to download, fix and upload again. A file without problems is confirmed on the job's
page (the held job's buttons) and imported whole by the worker, its progress shown there.
"""

from flask import render_template, request
from flask_babel import gettext as _

from creditsvc.core.errors import AppError
from creditsvc.infra import clock
from creditsvc.infra.downloads import attachment
from creditsvc.infra.extensions import db
from creditsvc.infra.uploads import read_upload
from creditsvc.pages.access import actor, page_roles
from creditsvc.pages.households.blueprint import bp, cipher
from creditsvc.pages.jobs.routes import held_hours
from creditsvc.pages.validation import refusal_errors
from creditsvc.services.platform.uow import UnitOfWork
from creditsvc.services.survey import imports, sheet


@bp.get("/survey")
@page_roles("officer")
def survey():
    """The upload form, with the templates to fill in."""
    return render_template("households/survey.html", errors={}, limits=_limits())


def _limits() -> dict:
    return {"mib": sheet.MAX_BYTES // (1024 * 1024), "rows": sheet.MAX_ROWS,
            "sheets": sheet.MAX_SHEETS}


@bp.get("/survey/template.<any(csv, xlsx):kind>")
@page_roles("officer")
def survey_template(kind):
    """The survey template (XLSX with drop-downs and a members sheet, or CSV)."""
    try:
        return attachment(*imports.template(db.session, actor(), kind))
    finally:
        UnitOfWork(db.session).rollback()


@bp.post("/survey")
@page_roles("officer")
def survey_upload():
    """Check the uploaded survey file, hold it, and show its preview."""
    request.max_content_length = sheet.MAX_BYTES + 64 * 1024
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return render_template("households/survey.html", limits=_limits(),
                               errors={"file": [_("请选择要上传的文件")]}), 422
    try:
        name, body = read_upload(upload, (".xlsx", ".xlsm", ".csv"), sheet.MAX_BYTES,
                                 default="survey.xlsx", code="survey_file_invalid")
        with UnitOfWork(db.session) as uow:
            shown, job = imports.hold(uow.session, actor(), cipher(), body, name,
                                      today=clock.today())
            job_id = job.id
            uow.commit()
    except AppError as exc:
        return render_template("households/survey.html", limits=_limits(),
                               errors=refusal_errors(exc)), 422
    return render_template("households/survey_preview.html", summary=shown, name=name,
                           job_id=job_id, held_hours=held_hours())


@bp.get("/survey/<string(maxlength=36):job_id>/marked")
@page_roles("officer")
def survey_marked(job_id):
    """The officer's file with a column of its problems, to fix and upload again."""
    try:
        return attachment(*imports.marked_file(db.session, actor(), cipher(), job_id,
                                               today=clock.today()))
    finally:
        UnitOfWork(db.session).rollback()
