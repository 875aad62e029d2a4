"""The bank feed as a file: a CSV or XLSX with Chinese headers, its template, and its rows.

A file's rows are read with their format checked one by one; a row that cannot be read
(no loan number, a date that is not a date, days that are not a whole number) is kept
with its problem (a code of the refusal catalogue, core/refusals), so that the preview and the
results show it on its own line while the good rows are applied.
"""

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime

from creditsvc.core import refusals
from creditsvc.core.errors import Invalid

# Header text -> field; the template writes the Chinese ones, English ones are accepted too.
HEADERS = {"贷款编号": "loan_id", "统计日期": "as_of", "逾期天数": "days_past_due",
           "loan_id": "loan_id", "as_of": "as_of", "days_past_due": "days_past_due"}
TEMPLATE_HEADERS = ("贷款编号", "统计日期", "逾期天数")
MAX_DPD = 100_000  # the same bound as the JSON feed (api/loans/schemas.py)
MAX_LOAN_ID = 36
CSV_TYPE = "text/csv"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# A row problem's words are the catalogue's (core/refusals/feed.py), as are a refused row's:
# these are the parameters a problem's text takes, and the words a job's counts use for a
# refusal whose own text names one row's values.
ROW_PARAMS = {"invalid_loan_id": {"most": MAX_LOAN_ID}, "invalid_days_past_due": {"most": MAX_DPD}}
COUNTED_AS = {"date_in_future": "feed_rows_date_in_future",
              "dpd_exceeds_age": "feed_rows_dpd_exceeds_age"}


def problem_params(code: str, params: dict | None = None) -> dict:
    """The parameters of a row's problem or refusal CODE: the row's own, and the file's bounds."""
    return {**ROW_PARAMS.get(code, {}), **(params or {})}


def problem_zh(code: str, params: dict | None = None) -> str:
    """A row's problem or refusal in Chinese (the results file and the preview's message_zh)."""
    return refusals.chinese(code, problem_params(code, params))


def problem_en(code: str, params: dict | None = None) -> str:
    """A row's problem or refusal in English (the preview's message)."""
    return refusals.english(code, problem_params(code, params))


def counted(code: str) -> tuple[str, dict]:
    """(catalogue code, parameters) that name CODE in a job's counts, where no row's values are."""
    return COUNTED_AS.get(code, code), ROW_PARAMS.get(code, {})


@dataclass(frozen=True)
class FileRow:
    """One data row of a feed file: its values, or the problem that kept them from being read."""

    index: int  # 0-based among the data rows, as `index` in the JSON feed's results
    line: int  # the line (CSV) or row (XLSX) a person sees, the header being 1
    loan_id: str
    as_of: date | None
    days_past_due: int | None
    problem: str | None = None


def template(kind: str) -> tuple[bytes, str, str]:
    """The feed's template as KIND ('xlsx' or 'csv'): its bytes, content type and file name."""
    if kind == "csv":
        return template_csv(), CSV_TYPE, "feed-template.csv"
    return template_xlsx(), XLSX_TYPE, "feed-template.xlsx"


def template_csv() -> bytes:
    """The feed's CSV template: the Chinese header line, UTF-8 with a BOM (Excel opens it)."""
    return ("\ufeff" + ",".join(TEMPLATE_HEADERS) + "\r\n").encode("utf-8")


def template_xlsx() -> bytes:
    """The feed's XLSX template: the header row, and a sheet that says how to fill it in."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "逾期天数报送"
    sheet.append(list(TEMPLATE_HEADERS))
    for column in "ABC":
        sheet.column_dimensions[column].width = 40 if column == "A" else 16
    notes = book.create_sheet("填写说明")
    for line in (("贷款编号", "页面上显示的贷款编号（如 PSBC-2026-000123），或接口返回的 loan_id"),
                 ("统计日期", "逾期天数的统计日期，格式 2026-06-30"),
                 ("逾期天数", f"截至统计日期的逾期天数，0 至 {MAX_DPD} 的整数；未逾期填 0"),
                 ("说明", "同一笔贷款可有多行，按行的先后处理；早于上次报送日期的行不予处理")):
        notes.append(list(line))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _columns(header: list) -> dict[str, int]:
    found = {HEADERS[str(h).strip().lstrip("\ufeff")]: i for i, h in enumerate(header)
             if h is not None and str(h).strip().lstrip("\ufeff") in HEADERS}
    missing = [h for h, field in zip(TEMPLATE_HEADERS, ("loan_id", "as_of", "days_past_due"),
                                     strict=True) if field not in found]
    if missing:
        raise Invalid("feed_header_invalid", missing="、".join(missing))
    return found


def _date(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        return None


def _dpd(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    try:
        number = int(str(value).strip())
    except ValueError:
        return None
    return number if 0 <= number <= MAX_DPD else None


def _row(index: int, line: int, cells: list, cols: dict[str, int]) -> FileRow:
    def cell(field):
        i = cols[field]
        return cells[i] if i < len(cells) and cells[i] is not None else ""

    loan_id = str(cell("loan_id")).strip()
    as_of, dpd = _date(cell("as_of")), _dpd(cell("days_past_due"))
    return FileRow(index, line, loan_id[:MAX_LOAN_ID * 2], as_of, dpd,
                   row_problem(loan_id, as_of, dpd))


def row_problem(loan_id: str, as_of: date | None, dpd: int | None) -> str | None:
    """Why a row cannot be read (its first problem, a catalogue code), or None."""
    if not loan_id:
        return "missing_loan_id"
    if len(loan_id) > MAX_LOAN_ID:
        return "invalid_loan_id"
    if as_of is None:
        return "invalid_as_of"
    if dpd is None:
        return "invalid_days_past_due"
    return None


def _blank(cells) -> bool:
    return all(c is None or str(c).strip() == "" for c in cells)


def read_rows(data: bytes, filename: str) -> list[FileRow]:
    """Every data row of a CSV or XLSX feed file (blank lines skipped), each checked."""
    if filename.lower().endswith(".xlsx"):
        lines = _xlsx_lines(data)
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise Invalid("feed_file_invalid") from exc
        lines = csv.reader(io.StringIO(text, newline=""))
    header = next(lines, None)
    if header is None:
        raise Invalid("feed_file_invalid")
    cols = _columns(list(header))
    rows: list[FileRow] = []
    for line, cells in enumerate(lines, start=2):
        if not _blank(cells):
            rows.append(_row(len(rows), line, list(cells), cols))
    return rows


def _xlsx_lines(data: bytes):
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
        raise Invalid("feed_file_invalid") from exc
    return book.worksheets[0].iter_rows(values_only=True)


# A bank clerk reads the file: every column in Chinese, no codes (the JSON feed has them).
RESULT_HEADERS = ("行号", "序号", "贷款编号", "处理结果", "五级分类", "计入逾期天数", "说明")


def results_csv(rows: list[FileRow], applied: dict[int, tuple]) -> bytes:
    """The per-row results file: each data row's line, outcome and, if refused, why in Chinese.

    APPLIED maps a readable row's index to (ok, classification, counted days, code, params).
    """
    out = io.StringIO(newline="")
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(RESULT_HEADERS)
    for row in rows:
        if row.problem is not None:
            ok, cls, dpd, code, params = False, None, None, row.problem, None
        else:
            ok, cls, dpd, code, params = applied[row.index]
        why = "" if ok or code is None else problem_zh(code, params)
        writer.writerow((row.line, row.index, row.loan_id, "已处理" if ok else "未处理",
                         cls or "", "" if dpd is None else dpd, why))
    return out.getvalue().encode("utf-8")
