"""The survey's workbooks: the template to fill in, and the user's own file with its problems marked.

The template has the main sheet (调查表) with one example row and a drop-down on each cell with
fixed values (towns, villages, household type, purpose, 是/否), the members sheet (家庭成员)
keyed by the head's ID number, and a sheet of instructions. The marked copy is the user's own
workbook loaded whole (openpyxl keeps its sheets, formats and drop-downs) with a column
"问题说明" filled in on each bad row, to fix and upload again.
"""

import csv
import io

from creditsvc.core.idcard import check_char
from creditsvc.core.vocab import TOWNS
from creditsvc.services.survey import columns as cols
from creditsvc.services.survey.rows import Problem
from creditsvc.services.survey.sheet import MAX_ROWS, decode

# A checksum-valid number of the region 4499xx, which no prefecture has (as the demo's).
EXAMPLE_ID = "44990119700101001" + check_char("44990119700101001")
EXAMPLE = {"town": "渔湖镇", "village": "示例村", "group_name": "3", "head_name": "张三",
           "id_number": EXAMPLE_ID, "phone": "13800000000", "size": 1,
           "labour_count": 1, "status": "建档立卡贫困户", "main_industry": "种植水稻",
           "per_capita_income": 6800, "willing": "是", "intended_amount": 30000,
           "purpose": "种植", "term_months": 36, "borrower_id": "", "surveyor": "李干部",
           "surveyed_on": "2026-03-05"}
EXAMPLE_MEMBER = {"head_id": EXAMPLE_ID, "name": "张三", "id_number": EXAMPLE_ID, "relation": "户主",
                  "labour_capable": "是", "chronic_illness": "否", "disability": "否", "in_school": "否"}
ERROR_HEADER = "问题说明"
LISTS_SHEET = "下拉选项"


def _header(c: cols.Column) -> str:
    unit = cols.UNITS.get(c.key)
    return ("*" if c.required else "") + c.header + (f"（{unit}）" if unit else "")


def template_csv() -> bytes:
    """The main sheet's header and example row as CSV, UTF-8 with a BOM (Excel opens it)."""
    out = io.StringIO(newline="")
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow([_header(c) for c in cols.MAIN])
    writer.writerow([EXAMPLE.get(c.key, "") for c in cols.MAIN])
    return out.getvalue().encode("utf-8")


def _list_range(lists, column: int, values: list[str]) -> str:
    from openpyxl.utils import get_column_letter

    for row, value in enumerate(values, start=1):
        lists.cell(row=row, column=column, value=value)
    letter = get_column_letter(column)
    return f"{LISTS_SHEET}!${letter}$1:${letter}${max(len(values), 1)}"


def _validate(sheet, source: str, column: str, prompt: str) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    dv = DataValidation(type="list", formula1=source, allow_blank=True, showErrorMessage=True,
                        errorTitle="请从下拉列表选择", error=prompt)
    sheet.add_data_validation(dv)
    dv.add(f"{column}2:{column}{MAX_ROWS + 1}")


def template_xlsx(villages: dict[str, list[str]]) -> bytes:
    """The template workbook; VILLAGES (town -> its villages) fill the village drop-down."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    main = book.active
    main.title = cols.MAIN_SHEET
    members = book.create_sheet(cols.MEMBERS_SHEET)
    notes = book.create_sheet(cols.NOTES_SHEET)
    lists = book.create_sheet(LISTS_SHEET)
    every_village = sorted({v for town in TOWNS for v in villages.get(town, [])}) or ["示例村"]
    sources = {"town": _list_range(lists, 1, list(TOWNS)),
               "village": _list_range(lists, 2, every_village),
               "status": _list_range(lists, 3, list(cols.DROPDOWN["status"])),
               "purpose": _list_range(lists, 4, list(cols.DROPDOWN["purpose"])),
               "relation": _list_range(lists, 5, list(cols.DROPDOWN["relation"])),
               "yes_no": _list_range(lists, 6, list(cols.DROPDOWN["yes_no"]))}
    lists.sheet_state = "hidden"
    for sheet, columns, example in ((main, cols.MAIN, EXAMPLE), (members, cols.MEMBERS, EXAMPLE_MEMBER)):
        sheet.append([_header(c) for c in columns])
        sheet.append([example.get(c.key, "") for c in columns])
        sheet.freeze_panes = "A2"
        for i, c in enumerate(columns, start=1):
            letter = get_column_letter(i)
            sheet.cell(row=1, column=i).font = Font(bold=True)
            sheet.column_dimensions[letter].width = 20 if "身份证" in c.header else 12
            if c.key in ("id_number", "head_id", "borrower_id", "phone"):
                for row in range(2, 3):
                    sheet.cell(row=row, column=i).number_format = "@"  # text: keep all 18 digits
            key = "yes_no" if c.key in cols.YES_NO_KEYS else c.key
            if key in sources:
                _validate(sheet, sources[key], letter, "请从下拉列表选择")
    notes.append(["列", "必填", "说明"])
    for c in (*cols.MAIN, *cols.MEMBERS):
        notes.append([c.header, "是" if c.required else "", c.hint])
    for line in ("表头按名称识别，列的顺序可调整，多出的列不读取；空行跳过。",
                 "身份证号请设为文本格式，以免 Excel 改为科学计数法；全角数字、空格和小写 x 均可。",
                 "日期可写 2026-03-05、2026/3/5、2026年3月5日，或 Excel 日期。",
                 "家庭成员表按户主身份证号对应调查表中的户；不填家庭成员表时只记户主。",
                 "同一身份证号已有户档案时，导入会更新该户并在变更记录中留下修改前后；"
                 "户主姓名不符的行不会覆盖，作为问题列出。",
                 "文件有任何问题时整份不导入；请下载标注了问题的文件，改正后重新上传。"):
        notes.append(["", "", line])
    notes.column_dimensions["A"].width = 18
    notes.column_dimensions["C"].width = 80
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def marked_copy(data: bytes, filename: str, problems: list[Problem], say) -> tuple[bytes, str]:
    """The user's own file with each bad row's problems in a new last column, and its name.

    SAY(code, params) gives a problem's text. A CSV comes back as CSV (UTF-8 with a BOM).
    """
    by_row: dict[tuple[str, int], list[str]] = {}
    for p in problems:
        by_row.setdefault((p.sheet, p.row), []).append(f"{p.column}：{say(p.code, p.params)}")
    stem = filename.rsplit(".", 1)[0]
    if filename.lower().endswith(".csv"):
        return _marked_csv(data, by_row), f"{stem}-问题标注.csv"
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data))
    for sheet in book.worksheets:
        mine = {row: texts for (name, row), texts in by_row.items() if name == sheet.title}
        if not mine:
            continue
        column = sheet.max_column + 1
        header_row = next((r for r in range(1, min(mine))
                           if any(c.value not in (None, "") for c in sheet[r])), 1)
        sheet.cell(row=header_row, column=column, value=ERROR_HEADER)
        for row, texts in mine.items():
            sheet.cell(row=row, column=column, value="；".join(texts))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), f"{stem}-问题标注.xlsx"


def _marked_csv(data: bytes, by_row: dict) -> bytes:
    lines = list(csv.reader(io.StringIO(decode(data), newline="")))
    out = io.StringIO(newline="")
    out.write("\ufeff")
    writer = csv.writer(out)
    header_at = next((i for i, line in enumerate(lines) if any(c.strip() for c in line)), 0)
    for i, line in enumerate(lines, start=1):
        extra = ERROR_HEADER if i == header_at + 1 else "；".join(by_row.get((cols.MAIN_SHEET, i), []))
        writer.writerow([*line, extra])
    return out.getvalue().encode("utf-8")
