"""导出: a list as filtered on its page, as xlsx: at once when small, as a job when large.

The 导出 button of a list opens this page with the list's own address (its filters): it says
what will be exported and how many rows, and offers the reveal of personal data (officers,
with a reason, audited). The download answers with the file; over EXPORT_JOB_ROWS rows the
export runs as a job, and its page gives the progress and then the file (its owner's alone).
"""

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_babel import get_locale

from creditsvc.core.errors import AppError
from creditsvc.infra import clock
from creditsvc.infra.downloads import attachment
from creditsvc.infra.extensions import db
from creditsvc.pages.access import actor, page_roles
from creditsvc.pages.exports.filters import (
    FILTER_WORDS,
    PAGES,
    PLACE,
    endpoint_of,
    page_filters,
)
from creditsvc.pages.validation import form_to_data, load_form, refusal_errors
from creditsvc.schemas.exports import ExportInSchema
from creditsvc.services.exports import run
from creditsvc.services.platform.uow import UnitOfWork

bp = Blueprint("export_pages", __name__, url_prefix="/exports")
NAMES = ", ".join(PAGES)


def job_rows() -> int:
    """Over this many rows an export runs as a job (EXPORT_JOB_ROWS, 5,000 by default)."""
    return int(current_app.config.get("EXPORT_JOB_ROWS", run.JOB_ROWS))


def _page(name: str, *, errors: dict | None = None, values: dict | None = None,
          status: int = 200):
    spec = run.export_list(actor(), name)  # an unknown list: 404; another role's: 403
    raw = {k: v for k, v in form_to_data(request.args).items() if k not in PLACE}
    filters, filter_errors = page_filters(name, raw)
    rows = None
    if filters is not None:
        rows = run.count_rows(db.session, actor(), name, filters, today=clock.today())
    return render_template(
        "exports/form.html", spec=spec, name=name, raw=raw, rows=rows,
        described=run.describe(spec, filters) if filters is not None else None,
        back=url_for(endpoint_of(name), **raw), threshold=job_rows(),
        filter_words=FILTER_WORDS,
        may_reveal=actor().role in run.REVEAL_ROLES and run.has_personal_data(spec),
        errors={**filter_errors, **(errors or {})},
        values=values or {}), 422 if filter_errors else status


@bp.get(f"/<any({NAMES}):name>")
@page_roles("officer", "bank", "fund_manager")
def form(name):
    """What the export of this list as filtered holds, and the download (or its job)."""
    return _page(name)


@bp.post(f"/<any({NAMES}):name>")
@page_roles("officer", "bank", "fund_manager")
def download(name):
    """The xlsx at once, or (a large one) a job and its page; a reveal is audited."""
    run.export_list(actor(), name)
    raw = {k: v for k, v in form_to_data(request.args).items() if k not in PLACE}
    filters, errors = page_filters(name, raw)
    form_raw = form_to_data(request.form)
    data, form_errors = load_form(ExportInSchema(), form_raw)
    if filters is None or data is None:
        return _page(name, errors=form_errors, values=form_raw, status=422)
    reason = data.get("reason") if data["reveal"] else None
    today = clock.today()
    try:
        with UnitOfWork(db.session) as uow:
            rows = run.count_rows(uow.session, actor(), name, filters, today=today)
            if rows > job_rows():
                job = run.submit_export(uow.session, actor(), name, filters, rows=rows,
                                        locale=str(get_locale()), reason=reason)
                uow.commit()
                return redirect(url_for("job_pages.show", job_id=job.id))
            made = run.write_export(uow.session, actor(), name, filters, today=today,
                                    reason=reason, cipher=current_app.extensions[
                                        "creditsvc.core.pii"] if reason else None)
            uow.commit()
    except AppError as exc:
        if exc.status == 404:
            raise
        return _page(name, errors=refusal_errors(exc), values=form_raw, status=exc.status)
    return attachment(made.body, run.XLSX, made.filename)
