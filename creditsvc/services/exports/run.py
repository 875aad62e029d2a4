"""An export: a list as filtered, counted, written to xlsx (masked, or revealed for a reason).

A small export is written at once by the entry point; one over the threshold (EXPORT_JOB_ROWS,
5,000 by default) runs as a job (`creditsvc/jobs/kinds.py`, EXPORT) whose file only its owner
may download (`services/platform/jobs.py`). Revealing personal data is for the roles that may
reveal a household file (officers), with a reason; it is audited with the row count and the
SHA-256 of the file's exact bytes, in the unit of work of the export (or of its job).
"""

import hashlib
import os
import tempfile
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from creditsvc.core.errors import Forbidden, Invalid, NotFound
from creditsvc.core.labels import label
from creditsvc.core.pii import PiiCipher
from creditsvc.core.principal import Principal
from creditsvc.services.exports.fields import ExportList, Labelled
from creditsvc.services.exports.lists import LISTS
from creditsvc.services.exports.workbook import Column, write_xlsx
from creditsvc.services.platform import audit
from creditsvc.services.platform import jobs as job_service

EXPORT = "export"
JOB_ROWS = 5_000  # over this many rows an export runs as a job
REVEAL_ROLES = frozenset({"officer"})  # as for a household file (households.files.reveal)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MIN_REASON = 8
PROGRESS_EVERY = 1_000


@dataclass(frozen=True)
class Exported:
    """A written export: its file name, bytes, row count and SHA-256."""

    filename: str
    body: bytes
    rows: int
    sha256: str


def export_list(actor: Principal, name: str) -> ExportList:
    """The list NAME if ACTOR's role may export it (404 for an unknown list, 403 for a role)."""
    spec = LISTS.get(name)
    if spec is None:
        raise NotFound("export_list_unknown")
    if actor.role not in spec.roles:
        raise Forbidden("export_role_forbidden")
    return spec


def has_personal_data(spec: ExportList) -> bool:
    """Whether the list shows personal data (masked) that a reveal would show in clear."""
    return any(f.clear is not None for f in spec.fields)


def check_reveal(actor: Principal, reason: str | None) -> None:
    """A reveal needs a role that may reveal and a reason of at least MIN_REASON characters."""
    if reason is None:
        return
    if actor.role not in REVEAL_ROLES:
        raise Forbidden("export_reveal_forbidden", fields=("reason",))
    if len(reason.strip()) < MIN_REASON:
        raise Invalid("export_reveal_reason_required", fields=("reason",), least=MIN_REASON)


def selected_query(spec: ExportList, query, reveal: bool):
    """QUERY (the list's SELECT) with the export's columns, in the list's order."""
    columns = []
    for f in spec.fields:
        expr = query.selected_columns[f.expr] if isinstance(f.expr, str) else f.expr
        columns.append(f.clear if reveal and f.clear is not None else expr)
    return query.with_only_columns(*columns, maintain_column_froms=True).order_by(*spec.order)


def count_rows(session: Session, actor: Principal, name: str, filters: dict, *,
               today: date) -> int:
    """How many rows the export of NAME as FILTERED would hold."""
    spec = export_list(actor, name)
    if spec.rows is not None:
        return len(spec.rows(session, actor, filters, today))
    query = spec.query(session, actor, filters, today)
    return session.execute(select(func.count()).select_from(
        query.order_by(None).subquery())).scalar_one()


def _memo(show):
    """A label lookup remembered for this export: a few codes, looked up once each."""
    if not isinstance(show, Labelled):
        return show
    seen: dict = {}

    def shown(code):
        if code not in seen:
            seen[code] = show(code)
        return seen[code]
    return shown


def cells(session: Session, spec: ExportList, query, cipher: PiiCipher | None, progress,
          total: int | None):
    """The cells of each row of QUERY as written: labels, Decimal yuan, decrypted when revealed."""
    shows = [(f.clear is not None and cipher is not None, _memo(f.show)) for f in spec.fields]
    decrypt = cipher.decrypt if cipher is not None else None
    # Streamed (a server-side cursor on PostgreSQL): closed however the walk ends.
    result = session.execute(query.execution_options(yield_per=2000))
    try:
        for n, row in enumerate(result, start=1):
            if progress is not None and n % PROGRESS_EVERY == 0:
                progress(n, total, "writing")
            cells = []
            for (clear, show), value in zip(shows, row, strict=True):
                if value is None:
                    cells.append(None)
                elif clear:
                    cells.append(decrypt(value))
                else:
                    cells.append(show(value) if show is not None else value)
            yield cells
    finally:
        result.close()


def describe(spec: ExportList, filters: dict) -> str:
    """The filters applied, as the heading says them: 状态：在贷；乡镇：渔湖镇 (or 全部)."""
    said = []
    for key, value in filters.items():
        if value is None or key not in spec.filters:
            continue
        header, kind = spec.filters[key]
        if isinstance(value, (list, tuple)):  # a search: its kind, never its keyed hash
            value = value[0]
        elif kind == "yes_no":  # "mine" holds the officer's id: said as 是
            value = bool(value)
        said.append(f"{header}：{label(kind, value) if kind else value}")
    return "；".join(said) if said else str(label("export_filter", "all"))


def write_export(session: Session, actor: Principal, name: str, filters: dict, *, today: date,
                 reason: str | None = None, cipher: PiiCipher | None = None,
                 progress=None, total: int | None = None) -> Exported:
    """The xlsx of NAME as FILTERED on TODAY; revealed (and audited) when REASON is given.

    PROGRESS(done, TOTAL, message) is called every PROGRESS_EVERY rows (a job's progress).
    """
    spec = export_list(actor, name)
    check_reveal(actor, reason)
    reveal = reason is not None and has_personal_data(spec)
    heading = [str(spec.title), f"{label('export_heading', 'filters')}：{describe(spec, filters)}",
               f"{label('export_heading', 'by')}：{actor.name}    "
               f"{label('export_heading', 'on')}：{today.isoformat()}",
               str(label("export_heading", "revealed" if reveal else "masked"
                         if has_personal_data(spec) else "none"))]
    columns = [Column(str(f.header), f.kind) for f in spec.fields]
    fd, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(fd)
    source = None
    try:
        if spec.rows is not None:
            source = spec.rows(session, actor, filters, today)
        else:
            query = selected_query(spec, spec.query(session, actor, filters, today), reveal)
            source = cells(session, spec, query, cipher if reveal else None, progress, total)
        rows = write_xlsx(path, columns, source,
                          sheet=str(spec.title), heading=heading)
        with open(path, "rb") as fh:
            body = fh.read()
    finally:
        if hasattr(source, "close"):  # a walk cut short (an error) lets go of its cursor
            source.close()
        os.unlink(path)
    digest = hashlib.sha256(body).hexdigest()
    if reveal:
        audit.record(session, actor, "export.reveal", target_type="export", target_id=name,
                     detail={"reason": reason, "rows": rows, "sha256": digest,
                             "filters": {k: v for k, v in filters.items() if v is not None}})
    return Exported(f"{name}-{today.isoformat()}.xlsx", body, rows, digest)


def submit_export(session: Session, actor: Principal, name: str, filters: dict, *,
                  rows: int, locale: str, reason: str | None = None):
    """Queue the export as a job (its file: the owner's only); the job."""
    export_list(actor, name)
    check_reveal(actor, reason)
    return job_service.submit(session, actor, EXPORT,
                              {"list": name, "filters": filters, "reason": reason,
                               "locale": locale, "rows": rows}, total=rows)
