"""The committee's views as a spreadsheet: the list to download, filled in, and uploaded back.

The download is the campaign's list with one row per household (its entry id in the first
column, so a row is found again whatever the sort), a drop-down for the view, and columns
for the lowered line and the note. The upload is read whole and checked whole: a row whose
cells cannot be read and a row whose view breaks a rule are refused together, each by its
row number and column in Chinese, and nothing is saved unless every row is right.
"""

import io
import zipfile
from decimal import Decimal, InvalidOperation

from sqlalchemy.orm import Session

from creditsvc.core.errors import AppError, Invalid
from creditsvc.core.money import from_fen
from creditsvc.core.principal import Principal
from creditsvc.core.refusals import said
from creditsvc.services.campaign.campaigns import area_label, get_campaign
from creditsvc.services.campaign.committee import View, entries, record_views

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADERS = ("编号", "村", "户主", "身份证号", "等级", "评分", "评级额度（元）", "村委会意见",
           "评议额度（元）", "说明")
WORDS = {"同意": "agree", "不同意": "disagree", "降低额度": "lower"}
VIEW_WORDS = {v: k for k, v in WORDS.items()}
# Which column a field's problem is shown under.
COLUMN_OF = {"view": "村委会意见", "line": "评议额度（元）", "note": "说明", "entry": "编号"}
MAX_BYTES = 2 * 1024 * 1024
MAX_UNZIPPED = 40 * 1024 * 1024  # an xlsx is a zip: refuse one that would inflate past this
MAX_ROWS = 20_000


def workbook(session: Session, actor: Principal, campaign_id: str) -> tuple[str, bytes]:
    """The campaign's list as an xlsx to fill in: (file name, bytes)."""
    from openpyxl import Workbook
    from openpyxl.worksheet.datavalidation import DataValidation

    campaign = get_campaign(session, actor, campaign_id)
    book = Workbook()
    sheet = book.active
    sheet.title = "村委会评议"
    sheet.append(HEADERS)
    for entry, rating, household in entries(session, campaign.id):
        sheet.append([
            entry.id, household.village, household.head_name_masked, household.id_number_masked,
            (rating.grade if rating else None) or "",
            round(rating.score, 1) if rating and rating.score is not None else "",
            from_fen(rating.line_fen) if rating else "",
            VIEW_WORDS.get(entry.committee_view, ""),
            from_fen(entry.committee_line_fen) if entry.committee_line_fen else "",
            entry.committee_note or ""])
    rows = sheet.max_row
    choice = DataValidation(type="list", formula1='"同意,不同意,降低额度"', allow_blank=True)
    sheet.add_data_validation(choice)
    choice.add(f"H2:H{max(rows, 2)}")
    sheet.column_dimensions["A"].hidden = True
    for column, width in zip("BCDEFGHIJ", (12, 10, 22, 8, 8, 14, 12, 14, 40), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "B2"
    out = io.BytesIO()
    book.save(out)
    return f"{campaign.number}-{area_label(campaign).replace(' ', '')}-村委会评议.xlsx", out.getvalue()


def _cells(data: bytes) -> list[tuple]:
    """The first sheet's rows as values; a file that is not a sane xlsx is refused."""
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(i.file_size for i in archive.infolist()) > MAX_UNZIPPED:
                raise Invalid("committee_file_invalid", fields=("file",), reason="解压后过大")
            if any(i.filename.lower().endswith("vbaproject.bin") for i in archive.infolist()):
                raise Invalid("committee_file_invalid", fields=("file",), reason="含有宏")
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except AppError:
        raise
    except Exception as exc:  # noqa: BLE001 - zipfile and openpyxl raise many kinds
        raise Invalid("committee_file_invalid", fields=("file",), reason="不是 xlsx 文件") from exc
    sheet = book.worksheets[0]
    sheet.reset_dimensions()
    rows = []
    for row in sheet.iter_rows(values_only=True):
        rows.append(row)
        if len(rows) > MAX_ROWS + 1:
            raise Invalid("committee_file_invalid", fields=("file",), reason="行数过多")
    book.close()
    return rows


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def read_views(data: bytes) -> tuple[list[View], dict[str, int], dict[str, dict]]:
    """The views in an uploaded list: (views, entry id -> row number, problems by entry id)."""
    rows = _cells(data)
    header = [_text(c) for c in (rows[0] if rows else ())]
    missing = [h for h in HEADERS if h not in header]
    if missing:
        raise Invalid("committee_file_invalid", fields=("file",), reason="缺少列 " + "、".join(missing))
    col = {h: header.index(h) for h in HEADERS}
    views, row_of, found = [], {}, {}
    for number, row in enumerate(rows[1:], start=2):
        cells = {h: _text(row[i]) if i < len(row) else "" for h, i in col.items()}
        if not any(cells.values()):
            continue
        entry_id = cells["编号"] or f"row-{number}"
        row_of[entry_id] = number
        problems: dict[str, list] = {}
        word = cells["村委会意见"]
        if not word:  # a row the committee left blank keeps its view as it was
            continue
        line = None
        if cells["评议额度（元）"]:
            try:
                line = Decimal(cells["评议额度（元）"].replace(",", "")).quantize(Decimal("0.01"))
            except InvalidOperation:
                problems["line"] = [said("field_money", most="50000.00")]
        if problems:
            found[entry_id] = problems
        views.append(View(entry_id, WORDS.get(word, word), line, cells["说明"] or None))
    return views, row_of, found


def import_views(session: Session, actor: Principal, campaign_id: str, data: bytes) -> int:
    """Record the views of an uploaded list, all or none; row errors name row and column."""
    views, row_of, found = read_views(data)
    try:
        return record_views(session, actor, campaign_id, views, source="xlsx", found=found)
    except Invalid as exc:
        if exc.code != "committee_views_invalid":
            raise
        by_row = {str(row_of.get(k, k)): {COLUMN_OF.get(f, f): m for f, m in v.items()}
                  for k, v in (exc.details or {}).items()}
        raise Invalid("committee_views_invalid", errors=dict(sorted(
            by_row.items(), key=lambda kv: int(kv[0]) if kv[0].isdigit() else 0)),
            count=len(by_row)) from exc
