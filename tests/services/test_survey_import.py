"""The survey import: what staff send is read, every bad input is a row error, nothing half-lands."""

import io
import secrets
import zipfile
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from creditsvc.core.errors import AppError, Conflict
from creditsvc.core.idcard import check_char
from creditsvc.core.pii import PiiCipher
from creditsvc.core.principal import Principal
from creditsvc.services.access import areas, users
from creditsvc.services.households import changes
from creditsvc.services.survey import imports, sheet, store
from models import Household, HouseholdMember, HouseholdSurvey
from tests.conftest import ACTOR
from tests.factories import id_number
from tests.services import survey_files as sf
from tests.today import TODAY
from tests.work import done


@pytest.fixture
def officer(session):
    user, _ = done(session, users.create_user, ACTOR, "officer-survey", "officer")
    done(session, areas.assign, ACTOR, user.id, [areas.Area("渔湖镇")])
    return Principal(user.id, user.name, "officer")


@pytest.fixture
def cipher(app):
    return app.extensions["creditsvc.core.pii"]


def _preview(session, officer, cipher, data, name="survey.xlsx"):
    try:
        return imports.preview(session, officer, cipher, data, name, today=TODAY)
    finally:
        session.rollback()


def _import(session, officer, cipher, data, name="survey.xlsx"):
    return done(session, imports.run, officer, cipher, data, name, today=TODAY)


def _x_id() -> str:
    """An ID number whose check character is X, written with a lowercase x."""
    for seq in range(1, 1000):
        first17 = f"449902198003{seq % 28 + 1:02d}{seq:03d}"
        if check_char(first17) == "X":
            return first17 + "x"
    raise AssertionError


def _full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in text)


def _count(session, model):
    return session.execute(select(func.count()).select_from(model)).scalar_one()


def test_one_of_each_bad_input_then_the_fixed_copy(session, officer, cipher):
    on_file = sf.household(户主姓名="原户主")
    _import(session, officer, cipher, sf.xlsx([on_file]))
    twice = id_number(date(1970, 1, 1))
    head = id_number(date(1960, 2, 2))
    bad_id = head[:17] + ("0" if head[17] != "0" else "1")
    good = [
        sf.household(身份证号=_full_width(_x_id()), 调查日期=46086.0),  # serial, full-width, x
        sf.household(户主姓名="林小红", 身份证号=" " + id_number() + "　", 调查日期="2026/3/5",
                     **{"意向金额（元）": "３００００", "家庭人口": "1"}),
        sf.household(户主姓名="黄强", 调查日期="2026年3月5日", 家庭人口=2, 贷款人身份证号=None),
    ]
    son = sf.member(good[2]["身份证号"])
    good[2]["贷款人身份证号"] = son["身份证号"]
    bad = [
        sf.household(身份证号=bad_id),  # 2+3=5... rows counted below
        sf.household(乡镇="外县镇"),
        sf.household(调查日期="2026-13-40"),
        sf.household(**{"意向金额（元）": "三万"}),
        sf.household(贷款意愿="也许"),
        sf.household(户主姓名=None),
        sf.household(身份证号=twice),
        sf.household(身份证号=twice, 户主姓名="另一人"),
        sf.household(身份证号=on_file["身份证号"], 户主姓名="不是他"),
        sf.household(乡镇="地都镇", 村="西村"),
        sf.household(**{"户类型/监测类别": "已脱贫户"}),
        sf.household(贷款人身份证号=id_number()),
    ]
    orphan = sf.member(id_number())
    data = sf.xlsx(good + bad, [son, orphan], blank_rows=1)
    summary = _preview(session, officer, cipher, data)
    got = [(p["row"], p["column"], p["code"]) for p in summary["problems"]]
    first_bad = 2 + 1 + len(good)  # header, one blank row, the good rows
    assert got == [
        (first_bad, "身份证号", "id_number_check"),
        (first_bad + 1, "乡镇", "survey_unknown_village"),
        (first_bad + 2, "调查日期", "survey_not_date"),
        (first_bad + 3, "意向金额", "survey_not_money"),
        (first_bad + 4, "贷款意愿", "survey_not_choice"),
        (first_bad + 5, "户主姓名", "field_required"),
        (first_bad + 7, "身份证号", "survey_duplicate_person"),
        (first_bad + 8, "户主姓名", "survey_name_mismatch"),
        (first_bad + 9, "村", "survey_outside_area"),
        (first_bad + 10, "脱贫年份", "lifted_year_required"),
        (first_bad + 11, "贷款人身份证号", "survey_borrower_not_member"),
        (3, "户主身份证号", "survey_head_not_in_file"),
    ]
    assert all(p["message_zh"] and p["message_zh"] != p["code"] for p in summary["problems"])
    assert (summary["problems"][6]["message_zh"]
            == f"同一身份证号在本文件中出现两次（另见第 {first_bad + 6} 行）")
    assert not summary["importable"]
    households = _count(session, Household)
    with pytest.raises(AppError) as refused:
        _import(session, officer, cipher, data)
    assert refused.value.code == "survey_has_errors"
    assert _count(session, Household) == households

    body, name = imports.workbooks.marked_copy(data, "survey.xlsx", [
        imports.rows.Problem(p["sheet"], p["row"], p["column"], p["code"]) for p in summary["problems"]
    ], imports.chinese)
    assert name == "survey-问题标注.xlsx"
    book = load_workbook(io.BytesIO(body))
    sheet = book["调查表"]
    assert sheet.cell(row=1, column=len(sf.MAIN) + 1).value == "问题说明"
    assert sheet.cell(row=first_bad, column=len(sf.MAIN) + 1).value.startswith("身份证号：")
    assert sheet.cell(row=3, column=len(sf.MAIN) + 1).value is None
    assert book["家庭成员"].cell(row=3, column=len(sf.MEMBERS) + 1).value.startswith("户主身份证号")
    # The officer deletes the bad rows' mistakes: here, the bad rows and the orphan member.
    sheet.delete_rows(first_bad, len(bad))
    book["家庭成员"].delete_rows(3)
    fixed = io.BytesIO()
    book.save(fixed)
    assert _preview(session, officer, cipher, fixed.getvalue())["problem_count"] == 0
    result = _import(session, officer, cipher, fixed.getvalue())
    assert (result["new"], result["changed"], result["unchanged"]) == (3, 0, 0)
    assert _count(session, Household) == households + 3
    surveys = session.execute(select(HouseholdSurvey).order_by(HouseholdSurvey.source_row)).scalars().all()
    surveys = [s for s in surveys if s.source_sha256 == result["sha256"]]
    assert [s.source_row for s in surveys] == [3, 4, 5]
    assert {s.source_sha256 for s in surveys} == {result["sha256"]}
    assert [s.surveyed_on for s in surveys] == [date(2026, 3, 5)] * 3
    assert surveys[1].intended_amount_fen == 3_000_000
    borrower = session.get(HouseholdMember, surveys[2].borrower_member_id)
    assert cipher.decrypt(borrower.id_number_enc) == son["身份证号"]
    assert borrower.name_masked == "陈**" and borrower.relation == "child"
    x_file = session.get(Household, surveys[0].household_id)
    assert cipher.decrypt(x_file.id_number_enc).endswith("X")


def test_a_reimport_changing_two_fields_records_two_changes(session, officer, cipher):
    row = sf.household()
    _import(session, officer, cipher, sf.xlsx([row, sf.household(户主姓名="林小红")]))
    again = _import(session, officer, cipher, sf.xlsx([
        {**row, "意向金额（元）": 20000, "户类型/监测类别": "监测户"}, sf.household(户主姓名="王五")]))
    assert (again["new"], again["changed"], again["unchanged"]) == (1, 1, 0)
    hid = session.execute(select(Household.id).where(
        Household.id_number_hash == cipher.blind_index("id", row["身份证号"]))).scalar_one()
    entry = changes.change_record(session, hid)[0]
    assert entry.action == "household.update"
    assert entry.fields == [("status", "registered_poor", "monitored_edge"),
                            ("intended_amount_fen", 3_000_000, 2_000_000)]
    assert entry.personal == [] and row["身份证号"] not in str(entry.detail)
    third = _import(session, officer, cipher, sf.xlsx([
        {**row, "意向金额（元）": 20000, "户类型/监测类别": "监测户"}]))
    assert (third["new"], third["changed"], third["unchanged"]) == (0, 0, 1)
    assert len(changes.change_record(session, hid)) == 1


def test_a_gbk_csv_is_read(session, officer, cipher):
    rows = [sf.household(), sf.household(户主姓名="林小红", 调查日期="2026年3月5日")]
    for encoding in ("gbk", "utf-8-sig", "utf-8"):
        summary = _preview(session, officer, cipher, sf.csv_bytes(rows, encoding), "调查.csv")
        assert (summary["rows"], summary["new"], summary["problem_count"]) == (2, 2, 0), encoding
    result = _import(session, officer, cipher, sf.csv_bytes(rows), "调查.csv")
    assert result["new"] == 2


def _zip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return out.getvalue()


def test_unsafe_files_are_refused_whole(session, officer, cipher):
    good = sf.xlsx([sf.household()])
    bomb = _zip({"[Content_Types].xml": b"<Types/>", "xl/worksheets/sheet1.xml": b"\0" * 300_000_000})
    with_macros = _zip({**{n: zipfile.ZipFile(io.BytesIO(good)).read(n)
                           for n in zipfile.ZipFile(io.BytesIO(good)).namelist()},
                        "xl/vbaProject.bin": b"macro"})
    for data, name, code in ((bomb, "a.xlsx", "survey_zip_bomb"),
                             (with_macros, "a.xlsx", "survey_macros_refused"),
                             (good, "a.xlsm", "survey_macros_refused"),
                             (b"name,id\n1,2\n", "a.xlsx", "survey_not_xlsx"),
                             (sf.xlsx([sf.household()], header=sf.MAIN[1:]), "a.xlsx",
                              "survey_header_invalid")):
        with pytest.raises(AppError) as refused:
            _preview(session, officer, cipher, data, name)
        assert refused.value.code == code, name


def test_row_and_sheet_limits_are_refused_with_their_numbers(session, officer, cipher, monkeypatch):
    monkeypatch.setattr(sheet, "MAX_ROWS", 2)
    with pytest.raises(AppError) as refused:
        _preview(session, officer, cipher, sf.xlsx([sf.household() for _ in range(3)]))
    assert (refused.value.code, refused.value.params) == ("survey_too_many_rows",
                                                          {"sheet": "调查表", "most": 2})
    monkeypatch.setattr(sheet, "MAX_SHEETS", 1)
    with pytest.raises(AppError) as refused:
        _preview(session, officer, cipher, sf.xlsx([sf.household()], [sf.member(id_number())]))
    assert (refused.value.code, refused.value.params["count"]) == ("survey_too_many_sheets", 2)


def test_nothing_is_half_written(session, officer, cipher, monkeypatch):
    households = _count(session, Household)
    monkeypatch.setattr(store, "CHUNK", 2)
    real = store._Batch.flush
    calls = []

    def fail_on_second(self, statements):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("the database went away")
        return real(self, statements)

    monkeypatch.setattr(store._Batch, "flush", fail_on_second)
    rows = [sf.household(户主姓名=name) for name in ("甲一", "乙二", "丙三", "丁四", "戊五")]
    with pytest.raises(RuntimeError):
        _import(session, officer, cipher, sf.xlsx(rows))
    assert calls == [1, 1]
    assert _count(session, Household) == households
    assert _count(session, HouseholdSurvey) == 0


def test_tokens_made_in_bulk_are_fernet_tokens(cipher):
    values = ["陈大明", "449901197001010015", "", "a" * 33]
    tokens = cipher.encrypt_many(values)
    assert [cipher.decrypt(t) for t in tokens] == values
    assert len(set(cipher.encrypt_many(["同名"] * 3))) == 3  # each its own IV


def test_no_import_while_the_personal_data_key_is_rotated(session, officer, app):
    rotating = PiiCipher(secrets.token_urlsafe(32), [app.config["PII_KEY"]])
    with pytest.raises(Conflict) as refused:
        _preview(session, officer, rotating, sf.xlsx([sf.household()]))
    assert refused.value.code == "survey_key_rotating"


def test_a_reimport_names_a_member_by_the_name_on_file_or_is_refused(session, officer, cipher):
    row = sf.household(家庭人口=2)
    son = sf.member(row["身份证号"], 姓名="陈小明")
    _import(session, officer, cipher, sf.xlsx([row], [son]))
    stored = session.execute(select(HouseholdMember.name_hash, HouseholdMember.name_enc).where(
        HouseholdMember.id_number_hash == cipher.blind_index("id", son["身份证号"]))).one()
    assert stored.name_hash == cipher.blind_index("name", "陈小明")
    assert cipher.decrypt(stored.name_enc) == "陈小明"
    same = _import(session, officer, cipher, sf.xlsx([row], [son]))
    assert (same["new"], same["changed"], same["unchanged"]) == (0, 0, 1)
    summary = _preview(session, officer, cipher, sf.xlsx([row], [{**son, "姓名": "陈大明"}]))
    assert [(p["sheet"], p["row"], p["column"], p["code"]) for p in summary["problems"]] == [
        ("家庭成员", 2, "姓名", "survey_member_name_mismatch")]
