"""Survey files as staff send them: built cell by cell, with one of each bad input on demand."""

import io
from datetime import date

from openpyxl import Workbook

from tests.factories import id_number

MAIN = ["乡镇", "村", "组", "户主姓名", "身份证号", "联系电话", "家庭人口", "劳动力人数",
        "户类型/监测类别", "脱贫年份", "主要产业", "人均纯收入（元）", "贷款意愿", "意向金额（元）",
        "用途", "期限（月）", "贷款人身份证号", "调查人", "调查日期", "备注（多出的列）"]
MEMBERS = ["户主身份证号", "姓名", "身份证号", "与户主关系", "劳动能力", "慢性病", "残疾", "在校生"]


def household(**over) -> dict:
    """One good survey row, by header."""
    row = {"乡镇": "渔湖镇", "村": "东湖村", "组": "3", "户主姓名": "陈大明",
           "身份证号": id_number(date(1975, 4, 2)), "联系电话": "13812345678", "家庭人口": 1,
           "劳动力人数": 1, "户类型/监测类别": "建档立卡贫困户", "脱贫年份": None,
           "主要产业": "种植", "人均纯收入（元）": 6800, "贷款意愿": "是", "意向金额（元）": 30000,
           "用途": "种植", "期限（月）": 36, "贷款人身份证号": None, "调查人": "李干部",
           "调查日期": "2026-03-05", "备注（多出的列）": "随便写"}
    row.update(over)
    return row


def xlsx(rows: list[dict], members: list[dict] = (), *, blank_rows: int = 0, header=MAIN) -> bytes:
    """A workbook: the main sheet (BLANK_ROWS empty rows after the header) and the members sheet."""
    book = Workbook()
    sheet = book.active
    sheet.title = "调查表"
    sheet.append(header)
    for _ in range(blank_rows):
        sheet.append([])
    for row in rows:
        sheet.append([row.get(h) for h in header])
    if members:
        ms = book.create_sheet("家庭成员")
        ms.append(MEMBERS)
        for m in members:
            ms.append([m.get(h) for h in MEMBERS])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def member(head: str, **over) -> dict:
    row = {"户主身份证号": head, "姓名": "陈小明", "身份证号": id_number(date(1990, 8, 1)),
           "与户主关系": "子女", "劳动能力": "是", "慢性病": "否", "残疾": "否", "在校生": "否"}
    row.update(over)
    return row


def csv_bytes(rows: list[dict], encoding: str = "gbk", header=MAIN) -> bytes:
    """A CSV of the main sheet in ENCODING (Chinese Excel saves GBK)."""
    import csv

    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if row.get(h) is None else row.get(h) for h in header])
    return out.getvalue().encode(encoding)
