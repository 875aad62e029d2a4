"""村级民主评议: the committee's view of every household on one page, or as a spreadsheet."""

from decimal import Decimal, InvalidOperation

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from creditsvc.core.errors import AppError, Invalid
from creditsvc.core.refusals import said, shown
from creditsvc.infra.downloads import attachment
from creditsvc.infra.extensions import db
from creditsvc.infra.uploads import read_upload
from creditsvc.pages.access import actor, page_roles
from creditsvc.pages.campaigns.blueprint import bp, the_campaign
from creditsvc.pages.validation import field_errors
from creditsvc.services.campaign import committee, sheet
from creditsvc.services.campaign.committee import View
from creditsvc.services.platform.uow import UnitOfWork


def _page(campaign_id: str, *, values=None, errors=None, upload_errors=None, status=200):
    c = the_campaign(campaign_id)
    rows = committee.entries(db.session, c.id)
    return render_template("campaigns/committee.html", c=c, rows=rows, values=values or {},
                           errors=errors or {}, upload_errors=upload_errors or [],
                           editable=c.status == "rated"), status


@bp.get("/<campaign_id>/committee")
@page_roles("officer")
def committee_page(campaign_id):
    """Every household of the list with the committee's view, on one page."""
    return _page(campaign_id)


def _views_from(form) -> tuple[list[View], dict, dict]:
    """The form's rows (view-<entry>, line-<entry>, note-<entry>) as views; unreadable lines."""
    views, values, found = [], {}, {}
    for key in form:
        if not key.startswith("view-"):
            continue
        entry_id = key[5:]
        view = form.get(key, "").strip()
        line_text = form.get(f"line-{entry_id}", "").strip().replace(",", "")
        note = form.get(f"note-{entry_id}", "").strip() or None
        values[entry_id] = {"view": view, "line": line_text, "note": note or ""}
        if not view:
            continue
        line = None
        if line_text:
            try:
                line = Decimal(line_text)
                if line.as_tuple().exponent < -2 or not line.is_finite():
                    raise InvalidOperation
            except InvalidOperation:
                found[entry_id] = {"line": [said("field_money", most="50000.00")]}
                line = None
        views.append(View(entry_id, view, line, note))
    return views, values, found


@bp.post("/<campaign_id>/committee")
@page_roles("officer")
def save_views(campaign_id):
    """Save the whole page's views: every row right, or none saved and each error beside its row."""
    views, values, found = _views_from(request.form)
    try:
        with UnitOfWork(db.session) as uow:
            changed = committee.record_views(uow.session, actor(), campaign_id, views, found=found)
            uow.commit()
    except Invalid as exc:
        if exc.code != "committee_views_invalid":
            raise
        errors = {entry: field_errors(problems) for entry, problems in (exc.details or {}).items()}
        errors["_form"] = [exc.text()]
        return _page(campaign_id, values=values, errors=errors, status=422)
    except AppError as exc:
        return _page(campaign_id, values=values, errors={"_form": [exc.text()]}, status=exc.status)
    flash(_("已保存村委会意见（%(n)s 户有改动）。", n=changed), "success")
    return redirect(url_for("campaign_pages.show", campaign_id=campaign_id), 303)


@bp.get("/<campaign_id>/committee.xlsx")
@page_roles("officer")
def committee_sheet(campaign_id):
    """The list as a spreadsheet to fill in the committee's views."""
    name, body = sheet.workbook(db.session, actor(), campaign_id)
    return attachment(body, sheet.XLSX_TYPE, name)


@bp.post("/<campaign_id>/committee/upload")
@page_roles("officer")
def upload_views(campaign_id):
    """Read the filled-in spreadsheet back: all rows saved, or none and each row's errors."""
    try:
        upload = request.files.get("file")
        if upload is None:
            raise Invalid("committee_file_invalid", fields=("file",), reason=_("没有选择文件"))
        _name, data = read_upload(upload, (".xlsx",), sheet.MAX_BYTES, default="views.xlsx",
                                  code="committee_file_invalid")
        with UnitOfWork(db.session) as uow:
            changed = sheet.import_views(uow.session, actor(), campaign_id, data)
            uow.commit()
    except AppError as exc:
        if exc.status == 404:
            raise
        rows = []
        if exc.code == "committee_views_invalid":
            for row, problems in (exc.details or {}).items():
                for column, messages in problems.items():
                    rows.extend((row, column, shown(m)) for m in messages)
        elif exc.details:
            rows.extend(("", "", shown(m)) for ms in exc.details.values() for m in ms)
        return _page(campaign_id, errors={"_form": [exc.text()]}, upload_errors=rows,
                     status=exc.status)
    flash(_("已从表格导入村委会意见（%(n)s 户有改动）。", n=changed), "success")
    return redirect(url_for("campaign_pages.show", campaign_id=campaign_id), 303)
