"""The one catalogue of refusals: every code raised anywhere has its text in both languages."""

import ast
import re
from pathlib import Path

from flask_babel import force_locale

from creditsvc.core import refusals
from creditsvc.core.errors import Conflict, Invalid
from creditsvc.schemas import messages

ROOT = Path(__file__).resolve().parent.parent / "creditsvc"
# What raises or says a refusal by its code: the first argument is the code.
RAISERS = {"AppError", "Invalid", "Conflict", "NotFound", "Forbidden", "Unauthorized", "TooLarge",
           "UnsupportedMedia", "Unavailable", "FundExhausted", "IdNumberError", "ValueProblem",
           "said"}
# A code passed on rather than raised: a variable of these names, an error's or a stored
# result's `code` (the values themselves are literals elsewhere, which the walk reads).
PASSED_ON = {"code", "problem"}


def _passed_on(node: ast.expr) -> bool:
    if isinstance(node, ast.Name):
        return node.id in PASSED_ON
    if isinstance(node, ast.Attribute):
        return node.attr == "code"
    return isinstance(node, ast.Subscript) and getattr(node.slice, "value", None) == "code"


def _name(call: ast.Call) -> str | None:
    func = call.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)


def _codes_in(path: Path) -> tuple[set[str], list[str]]:
    """The literal codes PATH raises, and the raises whose code is not a literal."""
    codes, unknown = set(), []
    tree = ast.parse(path.read_text("utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _name(node) in RAISERS:
            first = node.args[0] if node.args else None
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                codes.add(first.value)
            elif first is not None and not _passed_on(first):
                unknown.append(f"{path.name}:{node.lineno}")
        if isinstance(node, ast.Call):
            codes.update(k.value.value for k in node.keywords if k.arg == "code"
                         and isinstance(k.value, ast.Constant) and isinstance(k.value.value, str))
        if isinstance(node, ast.ClassDef):  # an error class's own code
            codes.update(s.value.value for s in node.body if isinstance(s, ast.Assign)
                         and any(getattr(t, "id", None) == "code" for t in s.targets)
                         and isinstance(s.value, ast.Constant) and isinstance(s.value.value, str))
        if isinstance(node, ast.FunctionDef) and node.name.endswith("_problem"):
            codes.update(r.value.value for r in ast.walk(node) if isinstance(r, ast.Return)
                         and isinstance(r.value, ast.Constant) and isinstance(r.value.value, str))
    return codes, unknown


def test_every_code_raised_in_creditsvc_has_an_entry():
    raised, unknown = set(), []
    for path in ROOT.rglob("*.py"):
        codes, odd = _codes_in(path)
        raised |= codes
        unknown += odd
    assert not unknown, f"a refusal whose code the catalogue test cannot read: {unknown}"
    assert len(raised) > 100
    assert not raised - set(refusals.CATALOGUE), sorted(raised - set(refusals.CATALOGUE))


def test_the_walk_sees_a_code_without_an_entry(tmp_path):
    source = tmp_path / "x.py"
    source.write_text('raise Conflict("no_such_refusal", x=1)\nraise Invalid(code)\n', "utf-8")
    assert _codes_in(source) == ({"no_such_refusal"}, [])


def test_every_marshmallow_message_has_an_entry():
    assert not set(messages.CODES.values()) - set(refusals.CATALOGUE)


def test_every_entry_has_its_english_and_one_chinese_text(app):
    with force_locale("zh_CN"):
        chinese = [str(entry) for entry in refusals.CATALOGUE.values()]
    assert len(set(chinese)) == len(chinese), "two codes share a Chinese text (one msgid)"
    for code in refusals.CATALOGUE:
        english = refusals.english(code)
        assert english and not re.search(r"[\u3400-\u9fff]", english.replace("表头", "")), code


def test_a_refusal_renders_its_parameters_in_each_language(app):
    error = Conflict("household_cap_reached", cap="50000.00", owed="45000.00")
    assert error.status == 409 and error.code == "household_cap_reached"
    assert error.message == "the household would owe more than 50000.00 (it owes 45000.00)"
    with force_locale("zh_CN"):
        assert error.text() == "该户扶贫小额信贷余额将超过每户上限 50000.00 元（现余额 45000.00 元）"
    field = Invalid("extension_too_long", fields=("months",), most=12)
    assert field.errors == {"months": ["an extension is 1 to 12 months"]}


def test_a_field_message_keeps_its_code_through_marshmallows_formatting(app):
    from marshmallow import ValidationError, fields, validate

    try:
        fields.Integer(validate=validate.Range(min=100)).deserialize(5)
    except ValidationError as exc:
        (message,) = exc.messages
    assert message == "Must be greater than or equal to 100."  # the API's text, unchanged
    with force_locale("zh_CN"):
        assert refusals.shown(message) == "须不小于 100"
