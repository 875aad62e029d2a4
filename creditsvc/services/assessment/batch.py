"""Batch scoring: a CSV of proposed loans assessed as `/assessments/preview` does, as a job.

An officer uploads rows naming a household by its file's id or its head's ID number, with
the amount, term and purpose. The upload is read at once: ID numbers are turned into their
files' ids through the keyed hash and never stored in clear (the job keeps only ids and a
masked number), and each row is checked with the preview's own schema (the caller's CHECK).
The job then assesses each good row with `applications.preview` (the active policy and the
champion model; no application is made) and keeps a results CSV for download.
"""

import csv
import io
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from creditsvc.core.errors import AppError, Invalid
from creditsvc.core.idcard import IdNumberError, normalise_id_number
from creditsvc.core.pii import PiiCipher, mask_id_number
from creditsvc.services.loans.applications import preview
from models import Household

MAX_ROWS = 50_000
# Header text -> field; the Chinese ones are the template's, English ones are accepted too.
HEADERS = {"户编号": "household_id", "身份证号": "id_number", "申请金额": "amount",
           "期限": "term_months", "期限（月）": "term_months", "用途": "purpose"}
HEADERS.update({v: v for v in set(HEADERS.values())})
TEMPLATE_HEADERS = ("户编号", "身份证号", "申请金额", "期限（月）", "用途")
PROBLEMS = {
    "missing_household": ("缺少户编号或身份证号", "name the household: its file id or ID number"),
    "invalid_id_number": ("身份证号无效", "the ID number is not valid"),
    "household_not_found": ("找不到该户档案", "no household file for this row"),
    "invalid_row": ("金额、期限或用途有误", "the amount, term or purpose is not valid"),
}


@dataclass(frozen=True)
class BatchRow:
    """One row as the job keeps it: ids and a masked number only, or its problem."""

    line: int
    household_id: str | None
    id_masked: str
    amount: str
    term_months: str
    purpose: str
    problem: str | None = None
    detail: str = ""


def template_csv() -> bytes:
    """The batch file's template: its Chinese header line, UTF-8 with a BOM."""
    return ("\ufeff" + ",".join(TEMPLATE_HEADERS) + "\r\n").encode("utf-8")


def _lines(data: bytes) -> tuple[dict[str, int], list[tuple[int, list[str]]]]:
    try:
        reader = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    except UnicodeDecodeError as exc:
        raise Invalid("batch_file_invalid") from exc
    header = next(reader, None) or []
    cols = {HEADERS[h.strip()]: i for i, h in enumerate(header) if h.strip() in HEADERS}
    if not {"amount", "term_months", "purpose"} <= set(cols) or not (
            {"household_id", "id_number"} & set(cols)):
        raise Invalid("batch_header_invalid", headers="、".join(TEMPLATE_HEADERS))
    rows = [(n, cells) for n, cells in enumerate(reader, start=2) if any(c.strip() for c in cells)]
    if len(rows) > MAX_ROWS:
        raise Invalid("batch_too_large", most=MAX_ROWS)
    return cols, rows


def read_upload(session: Session, data: bytes, cipher: PiiCipher,
                check: Callable[[dict], dict]) -> list[BatchRow]:
    """Every data row of an uploaded batch, each resolved to a household file and checked."""
    cols, lines = _lines(data)

    def cell(cells, field):
        i = cols.get(field)
        return cells[i].strip() if i is not None and i < len(cells) else ""

    parsed, hashes = [], {}
    for line, cells in lines:
        hid, raw_id = cell(cells, "household_id"), cell(cells, "id_number")
        number = problem = None
        if not hid and raw_id:
            try:
                number = normalise_id_number(raw_id)
                hashes[number] = cipher.blind_indexes("id", number)
            except IdNumberError:
                problem = "invalid_id_number"
        elif not hid:
            problem = "missing_household"
        parsed.append((line, cells, hid, number, problem))
    # Under every key while one is rotated: a file not yet rotated carries its old hash.
    wanted, found = sorted({h for variants in hashes.values() for h in variants}), {}
    for start in range(0, len(wanted), 500):  # bounded IN lists (SQLite's variable limit)
        found.update(session.execute(select(Household.id_number_hash, Household.id).where(
            Household.id_number_hash.in_(wanted[start:start + 500]))).tuples().all())
    return [_checked(line, hid or _found(found, hashes.get(number)), number, problem, check,
                     *(cell(cells, f) for f in ("amount", "term_months", "purpose")))
            for line, cells, hid, number, problem in parsed]


def _found(found: dict[str, str], variants: tuple[str, ...] | None) -> str | None:
    return next((found[h] for h in variants or () if h in found), None)


def _checked(line, household_id, number, problem, check, amount, term, purpose) -> BatchRow:
    masked = mask_id_number(number) if number else ""
    if problem is None and household_id is None:
        problem = "household_not_found"
    detail = ""
    if problem is None:
        errors = check({"household_id": household_id, "amount": amount, "purpose": purpose,
                        "term_months": int(term) if term.isascii() and term.isdigit() else term})
        if errors:
            problem = "invalid_row"
            detail = "; ".join(f"{k}: {' '.join(map(str, v))}" for k, v in sorted(errors.items()))
    return BatchRow(line, household_id, masked, amount, term, purpose, problem, detail[:300])


def encode(rows: list[BatchRow]) -> bytes:
    """The rows as the job's input file (JSON)."""
    return json.dumps({"rows": [asdict(r) for r in rows]}, ensure_ascii=False).encode()


def decode(data: bytes) -> list[BatchRow]:
    """The rows of a job's input file."""
    return [BatchRow(**r) for r in json.loads(data)["rows"]]


def score(session: Session, rows: list[BatchRow], *, on: date,
          progress: Callable[[int, int, str], None]) -> list[dict | None]:
    """Each good row's assessment (the preview's dict), or the row's problem; nothing saved."""
    out: list[dict | None] = []
    for i, row in enumerate(rows):
        if row.problem is None:
            try:
                out.append(preview(session, household_id=row.household_id,
                                   amount=Decimal(row.amount), term_months=int(row.term_months),
                                   purpose=row.purpose, on=on))
            except AppError as exc:  # the file went away between upload and run
                out.append({"problem": exc.code, "message": exc.message})
        else:
            out.append(None)
        if i % 200 == 199:
            progress(i + 1, len(rows), "scoring")
    return out


RESULT_HEADERS = ("行号", "户编号", "身份证号", "申请金额", "期限（月）", "用途", "结论", "信用等级",
                  "评分", "违约概率", "授信额度", "可批金额", "主要原因", "代码", "说明", "message")


def results_csv(rows: list[BatchRow], results: list[dict | None]) -> tuple[bytes, dict]:
    """The results file (one line per row, zh-CN with an English message) and its counts."""
    out = io.StringIO(newline="")
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(RESULT_HEADERS)
    counts: dict[str, int] = {}
    for row, result in zip(rows, results, strict=True):
        head = (row.line, row.household_id or "", row.id_masked, row.amount, row.term_months,
                row.purpose)
        code = row.problem or (result or {}).get("problem")
        if code:
            zh, en = PROBLEMS.get(code, ("", ""))
            writer.writerow((*head, "", "", "", "", "", "", "", code, zh,
                             (result or {}).get("message") or "; ".join(filter(None, (en, row.detail)))))
        else:
            reasons = "；".join(r["text_zh"] for r in result.get("decision_reasons") or [])
            writer.writerow((*head, result["decision"], result.get("grade") or "",
                             result.get("score") if result.get("score") is not None else "",
                             result.get("pd") if result.get("pd") is not None else "",
                             result.get("limit") or "", result.get("approved_amount") or "",
                             reasons, "", "", ""))
        key = code or result["decision"]
        counts[key] = counts.get(key, 0) + 1
    return out.getvalue().encode("utf-8"), dict(sorted(counts.items()))
