"""Form posts read with the API's own marshmallow schemas; their messages in the page's language.

A form is flat (`members-0-relation`); `form_to_data` builds the nested JSON-shaped dict the
schemas take, leaving out blanks so that an optional field left empty is simply absent.
`field_errors` shows each message beside its field, keyed by the same dotted names the form's
inputs carry; a service's refusal is shown by `refusal_errors` and `refusal_message`. Every
text comes from the one catalogue (core/refusals): a field message is a `Said` carrying its
code, a refusal an `AppError` carrying its code and parameters.
"""

import re
from collections.abc import Callable

from marshmallow import Schema, ValidationError

from creditsvc.core.errors import AppError
from creditsvc.core.refusals import shown

_INDEXED = re.compile(r"^(?P<name>[a-z_]+)-(?P<index>\d+)-(?P<field>[a-z_]+)$")
BOOLEAN_WORDS = {"true": True, "false": False, "on": True}


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
    """Marshmallow's nested messages flattened to {"members-0-relation": [text in the page's language]}."""
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
                flat.setdefault(prefix or "_form", []).append(shown(item))
    else:
        flat.setdefault(prefix or "_form", []).append(shown(messages))
    return flat


def load_form(schema: Schema, data: dict) -> tuple[dict | None, dict[str, list[str]]]:
    """(loaded data, {}) or (None, field errors in the page's language)."""
    try:
        return schema.load(data), {}
    except ValidationError as exc:
        return None, field_errors(exc.messages)


def refusal_errors(error: AppError) -> dict[str, list[str]]:
    """A service's refusal as the form's errors: its text at the top and beside its fields."""
    text = error.text()
    errors = field_errors(error.details) if error.details else {}
    for name in error.fields:
        errors.setdefault(name, []).insert(0, text)
    errors["_form"] = [text]
    return errors


def all_errors(*parts: dict[str, list[str]]) -> dict[str, list[str]]:
    """Several sets of a form's errors as one, each message once; `_form` says how many."""
    merged: dict[str, list[str]] = {}
    for part in parts:
        for name, messages in part.items():
            if name == "_form":
                continue
            kept = merged.setdefault(name, [])
            kept.extend(m for m in messages if m not in kept)
    tops = [m for part in parts for m in part.get("_form", [])]
    placed = {m for name, ms in merged.items() for m in ms}
    loose = list(dict.fromkeys(m for m in tops if m not in placed))
    if loose:
        merged["_form"] = loose
    return merged


def refusals_errors(errors: list[AppError]) -> dict[str, list[str]]:
    """Several refusals of one form as its errors, each beside its fields."""
    return all_errors(*(refusal_errors(e) for e in errors))


def refusal_message(error: AppError) -> str:
    """A service's refusal in one sentence: a flash, or a row of a bulk outcome."""
    return error.text()


def accepted_values(schema_cls: type[Schema], typed: dict, errors: dict) -> dict:
    """The values of TYPED that the schema accepts, loaded, leaving out the fields it refused."""
    schema = schema_cls(partial=True)
    good = {k: v for k, v in typed.items() if k in schema.fields and k not in errors}
    data, _ = load_form(schema, good)
    return data or {}


def with_refusals(schema_cls: type[Schema], typed: dict, errors: dict[str, list[str]],
                  refusals: Callable[[dict], list[AppError]]) -> tuple[dict[str, list[str]], int]:
    """A form's schema ERRORS with every refusal the service gives for what the schema let through.

    REFUSALS(values) lists the service's refusals for the values the schema accepted (a field
    it refused is absent); one about a field the schema refused is left out, the schema having
    said what is wrong with it. Returns (the errors, the status): 422, or the refusals' own
    status (a 409) when only they refuse and all share it.
    """
    refused = [r for r in refusals(accepted_values(schema_cls, typed, errors))
               if not set(r.fields) & errors.keys()]
    statuses = {r.status for r in refused}
    status = statuses.pop() if not errors and len(statuses) == 1 else 422
    return all_errors(errors, refusals_errors(refused)), status
