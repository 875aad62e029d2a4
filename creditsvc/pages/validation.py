"""Form posts read with the API's own marshmallow schemas; their messages shown in Chinese.

A form is flat (`members-0-relation`); `form_to_data` builds the nested JSON-shaped dict the
schemas take, leaving out blanks so that an optional field left empty is simply absent.
`field_errors` turns marshmallow's (or a service's) English messages into the page's language
beside each field, keyed by the same dotted names the form's inputs carry.
"""

import re

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError

from creditsvc.core.errors import AppError

_INDEXED = re.compile(r"^(?P<name>[a-z_]+)-(?P<index>\d+)-(?P<field>[a-z_]+)$")
BOOLEAN_WORDS = {"true": True, "false": False, "on": True}

# English messages of the schemas (api/fields.py, marshmallow, core/) and their Chinese.
MESSAGES = [
    (r"Missing data for required field\.", _l("必填")),
    (r"Field may not be null\.", _l("必填")),
    (r"Must be one of: .*", _l("请从列表中选择")),
    (r"Not a valid boolean\.", _l("请选择是或否")),
    (r"Not a valid (string|list|mapping type)\.", _l("格式不正确")),
    (r"Length must be between (\d+) and (\d+)\.", _l("长度须在 %(1)s 到 %(2)s 之间")),
    (r"Longer than maximum length (\d+)\.", _l("最多 %(1)s 个字符")),
    (r"Shorter than minimum length (\d+)\.", _l("至少 %(1)s 个字符")),
    (r"money is a decimal string in yuan.*at most ([\d.]+)",
     _l("金额以元为单位，最多两位小数，且不超过 %(1)s 元")),
    (r"must be at least ([\d.]+)", _l("不得少于 %(1)s")),
    (r"must be at most ([\d.]+)", _l("不得超过 %(1)s")),
    (r"must be a whole number from (\d+) to (\d+)", _l("须为 %(1)s 到 %(2)s 之间的整数")),
    (r"a date is YYYY-MM-DD|Not a valid date\.", _l("日期格式为 年-月-日，例如 2026-03-01")),
    (r"the date is out of range.*", _l("日期超出范围（1900-01-01 至十年后）")),
    (r"date is in the future|in the future", _l("日期不能晚于今天")),
    (r"the range ends before it begins", _l("结束日期不能早于开始日期")),
    (r"a household file with this ID number exists", _l("已有此身份证号的户档案")),
    (r"a lifted household needs lifted_year", _l("已脱贫户须填写脱贫年份")),
    # Applications and reviews (services/loans/applications.py).
    (r"required to approve", _l("核准时须填写核准金额")),
    (r"at least ([\d.]+)$", _l("不得少于 %(1)s 元")),
    (r"at most ([\d.]+)$",
     _l("不得超过 %(1)s 元（申请金额、评级授信额度、单笔上限与家庭剩余额度中的最低者）")),
    (r"the officer who submitted an application may not review it",
     _l("提交人不能复核自己提交的申请，请由其他专干复核。")),
    (r"a failed hard rule cannot be overridden", _l("有硬性条件未通过的申请不能改为核准。")),
    (r"only a referred application can be reviewed.*", _l("只有待复核的申请才能复核。")),
    (r"the household has no headroom left under its cap",
     _l("该户扶贫贷款余额已达上限，没有剩余可贷额度。")),
    (r"no such household file", _l("没有找到这个户档案。")),
    (r"(text )?may not contain control characters", _l("不能包含控制字符")),
    (r"say what it is: at least (\d+) characters.*", _l("请写明原因，至少 %(1)s 个字，且须包含文字")),
    (r"an ID number is 17 digits and a check digit or X",
     _l("身份证号为 17 位数字加一位校验码（数字或 X）")),
    (r"the ID number's region code is not a province", _l("身份证号的地区码不正确")),
    (r"the ID number's birth date is (out of range|not a real date)",
     _l("身份证号中的出生日期不正确")),
    (r"the ID number's check character is wrong", _l("身份证号校验位不正确，请核对")),
    (r"not a valid mainland mobile number.*", _l("手机号须为 11 位，以 13–19 开头")),
    (r"a name is 1 to 30 Chinese or Latin characters", _l("姓名为 1 到 30 个汉字或字母")),
    (r"required when status is lifted", _l("已脱贫户须填写脱贫年份")),
    (r"Unknown field\.", _l("不接受此字段")),
    (r"a \.csv or \.xlsx file", _l("请上传 CSV 或 XLSX 文件")),
    (r"a \.csv file", _l("请上传 CSV 文件")),
    (r"password_too_short", _l("密码至少 10 位")),
    (r"password_too_long", _l("密码最多 128 位")),
    (r"password_too_simple", _l("密码须同时包含字母和数字")),
    (r"password_contains_username", _l("密码不能包含用户名")),
    (r"passwords_differ", _l("两次输入的新密码不一致")),
    (r"password_unchanged", _l("新密码不能与当前密码相同")),
    (r"wrong_password", _l("当前密码不正确")),
]
_COMPILED = [(re.compile(pattern), text) for pattern, text in MESSAGES]

# A service's refusal by its code, where its English message carries values of its own.
CODES = {
    "form_token_invalid": _l("表单已失效，请重新打开后再提交。"),
    "idempotency_key_reused": _l("此表单已提交过不同的内容，请重新打开表单。"),
    "idempotency_in_progress": _l("上一次提交仍在处理中，请稍候刷新。"),
    "claim_not_filed": _l("该代偿申请已处理过（已支付或已拒绝）。"),
    "fund_exhausted": _l("基金余额不足以支付此笔代偿。"),
    "not_in_default": _l("该笔贷款已不满足代偿条件（逾期未达 90 天或已结清），请拒绝或等待银行下次报送。"),
    "nothing_to_claim": _l("该笔贷款已无可代偿金额。"),
    "loan_not_active": _l("该笔贷款已不在贷（已结清或已关闭）。"),
    "claim_not_paid": _l("只有已支付的代偿才能冲正。"),
    "claim_already_reversed": _l("该笔代偿已冲正。"),
    "claim_has_recoveries": _l("该笔代偿之后已登记追偿回收，请先更正回收记录再冲正。"),
    "not_reversible": _l("此类记录不能手工冲正。"),
    "already_reversed": _l("该记录已冲正。"),
    "reversal_of_reversal": _l("冲正记录不能再冲正，请另行登记。"),
    "leverage_cap_reached": _l("超过基金的担保放大倍数上限，暂不能放款。"),
    "bank_capacity_reached": _l("超过本行在风险补偿金中的额度，暂不能放款。"),
    "lending_suspended_npl": _l("放贷已暂停：不良率已达到容忍度。"),
    "lending_suspended_balance": _l("放贷已暂停：基金余额低于注资额的下限比例。"),
    "fund_not_initialised": _l("风险补偿金尚未注资，暂不能放款。"),
    "job_not_held": _l("此文件已确认或已放弃，不能再操作。"),
}


def translate(message: str) -> str:
    """MESSAGE in the page's language: Chinese from the table above, else as it came."""
    if not str(get_locale() or "zh").startswith("zh"):
        return message
    for pattern, text in _COMPILED:
        if found := pattern.fullmatch(message) or pattern.match(message):
            groups = {str(i): g for i, g in enumerate(found.groups(), start=1)}
            return str(text) % groups if groups else str(text)
    return str(_l("输入有误：%(message)s", message=message))


def form_to_data(form, *, booleans: tuple[str, ...] = (), lists: tuple[str, ...] = ()) -> dict:
    """A flat form as the nested dict a schema loads: blanks left out, `a-0-b` as lists."""
    data: dict = {}
    rows: dict[str, dict[int, dict]] = {}
    for key in form:
        values = [v for v in form.getlist(key) if v.strip() != ""]
        if key in ("csrf_token", "form_token") or not values:
            continue
        if match := _INDEXED.match(key):
            row = rows.setdefault(match["name"], {}).setdefault(int(match["index"]), {})
            row[match["field"]] = _value(match["field"], values[-1], booleans)
        elif key in lists:
            data[key] = values
        elif "." in key:
            outer, inner = key.split(".", 1)
            data.setdefault(outer, {})[inner] = _value(inner, values[-1], booleans)
        else:
            data[key] = _value(key, values[-1], booleans)
    for name, indexed in rows.items():
        data[name] = [indexed[i] for i in sorted(indexed)]
    return data


def _value(name: str, raw: str, booleans: tuple[str, ...]):
    raw = raw.strip()
    if name in booleans:
        return BOOLEAN_WORDS.get(raw.lower(), raw)
    return raw


def field_errors(messages, prefix: str = "", indexed: bool = False) -> dict[str, list[str]]:
    """Marshmallow's nested messages flattened to {"members-0-relation": [Chinese text]}."""
    flat: dict[str, list[str]] = {}
    if isinstance(messages, dict):
        for key, value in messages.items():
            is_index = isinstance(key, int) or (isinstance(key, str) and key.isdigit())
            joiner = "-" if (is_index or indexed) else "."
            name = f"{prefix}{joiner}{key}" if prefix else str(key)
            for k, v in field_errors(value, name, is_index).items():
                flat.setdefault(k, []).extend(v)
    elif isinstance(messages, list):
        for item in messages:
            if isinstance(item, dict | list):
                for k, v in field_errors(item, prefix, indexed).items():
                    flat.setdefault(k, []).extend(v)
            else:
                flat.setdefault(prefix or "_form", []).append(translate(str(item)))
    else:
        flat.setdefault(prefix or "_form", []).append(translate(str(messages)))
    return flat


def load_form(schema: Schema, data: dict) -> tuple[dict | None, dict[str, list[str]]]:
    """(loaded data, {}) or (None, field errors in the page's language)."""
    try:
        return schema.load(data), {}
    except ValidationError as exc:
        return None, field_errors(exc.messages)


def refusal_errors(error: AppError) -> dict[str, list[str]]:
    """A service's refusal as field errors (its own field names), or a form-wide message."""
    if error.errors:
        return field_errors(error.errors)
    if error.code in CODES and str(get_locale() or "zh").startswith("zh"):
        return {"_form": [str(CODES[error.code])]}
    return {"_form": [translate(error.message)]}
