"""Refusals of the survey import: of a whole file, and of one row's cell (by row and column)."""

from flask_babel import lazy_gettext as _l

TEXTS = {
    # The file as a whole.
    "survey_file_invalid": _l("文件无法读取：请上传按模板填写的 XLSX 文件，或 CSV 文件（UTF-8 或 GBK 编码）"),
    "survey_not_xlsx": _l("文件名为 .xlsx，但内容不是 Excel 工作簿（不是 zip 文件）"),
    "survey_macros_refused": _l("不接受含宏的工作簿（.xlsm 或含 vbaProject.bin），请另存为普通 .xlsx 后上传"),
    "survey_zip_bomb": _l(
        "工作簿解压后过大（声明 %(size)s，上限 %(limit)s，压缩比 %(ratio)s，上限 %(most)s），已拒绝"),
    "survey_too_many_sheets": _l("工作簿最多 %(most)s 张工作表，此文件有 %(count)s 张"),
    "survey_too_many_rows": _l("工作表“%(sheet)s”最多 %(most)s 行，此文件超过了"),
    "survey_header_invalid": _l("工作表“%(sheet)s”表头缺少：%(missing)s（请使用模板）"),
    "survey_empty": _l("文件中没有调查数据行"),
    "survey_has_errors": _l(
        "文件有 %(count)s 个问题，未导入任何数据；请下载标注了问题的文件，改正后重新上传"),
    "survey_key_rotating": _l("个人信息密钥正在更换，更换完成后才能导入调查表"),
    "survey_no_area": _l("您还没有分配工作区域，不能导入调查表；请联系管理员"),
    # One cell of one row.
    "survey_not_whole": _l("应为整数"),
    "survey_out_of_range": _l("应在 %(least)s 至 %(most)s 之间"),
    "survey_not_money": _l("应为金额（元，最多两位小数）"),
    "survey_not_date": _l("日期格式不对，可写 2026-03-05、2026/3/5 或 2026年3月5日"),
    "survey_not_choice": _l("应为下列之一：%(choices)s"),
    "survey_too_long": _l("最多 %(most)s 个字"),
    "survey_unknown_village": _l("不是本区的乡镇（%(towns)s）"),
    "survey_outside_area": _l("%(town)s %(village)s 不在您的工作区域内"),
    "survey_household_outside_area": _l("此身份证号的户档案在 %(town)s %(village)s，不在您的工作区域内"),
    "survey_duplicate_person": _l("同一身份证号在本文件中出现两次（另见第 %(other)s 行）"),
    "survey_name_mismatch": _l("此身份证号已有户档案，户主姓名与文件不符（不会覆盖，请核对）"),
    "survey_member_name_mismatch": _l("此身份证号已是该户成员，姓名与文件不符（不会覆盖，请核对）"),
    "survey_head_not_in_file": _l("调查表中没有此户主身份证号"),
    "survey_borrower_not_member": _l("贷款人须为本户户主或家庭成员表中的成员"),
    "survey_size_mismatch": _l("家庭人口 %(size)s 与家庭成员表人数 %(count)s 不符"),
    "survey_member_other_household": _l("此身份证号已是另一户的户主或成员"),
}
