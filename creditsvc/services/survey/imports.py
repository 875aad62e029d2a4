"""The survey import as the entry points see it: preview a file, import it whole, the marked copy.

`preview` reads, checks and plans a file and writes nothing; the page and the API show its
problems (row, column, Chinese) and hold the file in a job until the officer confirms. The
job (`run`) reads and plans the file again in its own transaction and writes it only when no
row has a problem: a file is imported whole or not at all.
"""

import hashlib
from collections import Counter
from datetime import date

from flask_babel import force_locale
from sqlalchemy.orm import Session

from creditsvc.core.errors import Conflict, Invalid, NotFound
from creditsvc.core.pii import PiiCipher
from creditsvc.core.principal import Principal
from creditsvc.core.refusals import english, text
from creditsvc.services.access.areas import areas_of, known_villages
from creditsvc.services.platform import jobs
from creditsvc.services.survey import rows, sheet, store, workbooks
from creditsvc.services.survey.plan import Plan, plan

SURVEY_IMPORT = "survey_import"  # the job kind (creditsvc/jobs/kinds.py)
MAX_PROBLEMS = 1_000
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv"


def chinese(code: str, params: dict) -> str:
    """A problem's text in Chinese (the file's language, whatever the page's)."""
    with force_locale("zh"):
        return text(code, params)


def judge(session: Session, actor: Principal, cipher: PiiCipher, data: bytes, filename: str, *,
          today: date, progress=None) -> tuple[sheet.Book, rows.Checked, Plan]:
    """Read, check and plan the file (writes nothing)."""
    if cipher.rotating:  # files are matched by their ID numbers' hashes under one key
        raise Conflict("survey_key_rotating")
    book = sheet.read_book(data, filename)
    checked = rows.check(book, today)
    if progress:
        progress(0, len(book.main.rows), "file read")
    return book, checked, plan(session, actor, cipher, checked, hashlib.sha256(data).hexdigest(),
                               progress)


def problem_dicts(problems) -> list[dict]:
    """Problems as the API and the pages show them."""
    return [{"sheet": p.sheet, "row": p.row, "column": p.column, "code": p.code,
             "message_zh": chinese(p.code, p.params), "message": english(p.code, p.params)}
            for p in problems]


def summary(book: sheet.Book, checked: rows.Checked, planned: Plan) -> dict:
    """What the file holds and what importing it would do."""
    return {"sha256": planned.sha256, "rows": len(book.main.rows),
            "member_rows": checked.member_rows, "new": planned.count("new"),
            "changed": planned.count("changed"), "unchanged": planned.count("unchanged"),
            "problem_count": len(planned.problems),
            "by_code": dict(sorted(Counter(p.code for p in planned.problems).items())),
            "importable": not planned.problems and bool(planned.households)}


def preview(session: Session, actor: Principal, cipher: PiiCipher, data: bytes, filename: str, *,
            today: date) -> dict:
    """The file's summary and its first problems, each by sheet, row and column."""
    book, checked, planned = judge(session, actor, cipher, data, filename, today=today)
    return {**summary(book, checked, planned),
            "problems": problem_dicts(planned.problems[:MAX_PROBLEMS])}


def run(session: Session, actor: Principal, cipher: PiiCipher, data: bytes, filename: str, *,
        today: date, progress=None) -> dict:
    """Import the whole file in the session's transaction, or refuse it whole."""
    book, checked, planned = judge(session, actor, cipher, data, filename, today=today,
                                   progress=progress)
    if planned.problems:
        raise Invalid("survey_has_errors", fields=("file",), count=len(planned.problems))
    if not planned.households:
        raise Invalid("survey_empty", fields=("file",))
    counts = store.write(session, actor, cipher, planned, progress)
    return {**summary(book, checked, planned), **counts, "filename": filename}


def content_type(filename: str) -> str:
    """The content type a survey file is kept with."""
    return CSV_TYPE if filename.lower().endswith(".csv") else XLSX_TYPE


def marked_file(session: Session, actor: Principal, cipher: PiiCipher, job_id: str, *,
                today: date) -> tuple[bytes, str, str]:
    """The officer's uploaded file with its problems marked: bytes, content type, file name."""
    job = jobs.get_job(session, actor, job_id)
    found = jobs.file_of(session, job.id, "input")
    if job.kind != SURVEY_IMPORT or job.owner_id != actor.user_id or found is None:
        raise NotFound("job_not_found")
    row, sealed = found
    data = cipher.decrypt_bytes(sealed)
    _, _, planned = judge(session, actor, cipher, data, row.filename, today=today)
    body, name = workbooks.marked_copy(data, row.filename, planned.problems, chinese)
    return body, content_type(name), name


def hold(session: Session, actor: Principal, cipher: PiiCipher, data: bytes, filename: str, *,
         today: date) -> tuple[dict, object]:
    """Preview the file and keep it in a held job until its owner confirms: (preview, job)."""
    shown = preview(session, actor, cipher, data, filename, today=today)
    job = jobs.submit(session, actor, SURVEY_IMPORT,
                      {"filename": filename, "sha256": shown["sha256"],
                       "problem_count": shown["problem_count"]},
                      # The workbook holds names, ID numbers and phones in clear: kept sealed.
                      files=((filename, content_type(filename), cipher.encrypt_bytes(data)),),
                      total=shown["rows"], held=True)
    return shown, job


def confirm(session: Session, actor: Principal, job_id: str):
    """Release the officer's held import to the workers; a file with problems is refused."""
    job = jobs.get_job(session, actor, job_id)
    if job.kind != SURVEY_IMPORT:
        raise NotFound("job_not_found")
    count = (job.args or {}).get("problem_count", 0)
    if count:
        raise Invalid("survey_has_errors", fields=("file",), count=count)
    return jobs.confirm(session, actor, job_id)


def template(session: Session, actor: Principal, kind: str) -> tuple[bytes, str, str]:
    """The template as KIND ('xlsx' or 'csv'), its villages those of the officer's area."""
    if kind == "csv":
        return workbooks.template_csv(), CSV_TYPE, "survey-template.csv"
    mine = areas_of(session, actor.user_id)
    villages = {town: [v for v in names if any(a.town == town and a.village in (None, v)
                                                for a in mine)]
                for town, names in known_villages(session, mine).items()}
    return workbooks.template_xlsx(villages), XLSX_TYPE, "survey-template.xlsx"
