"""marshmallow's own messages, given their catalogue codes (core/refusals/fields.py).

Each of marshmallow's English message templates becomes a `Said` with the same English: the
API's field errors read as before, and a page shows the catalogue's text in its language
("Must be greater than or equal to 100." is "须不小于 100" on a Chinese page). `install`
sets them on marshmallow's classes when the schemas package is first imported.
"""

from marshmallow import Schema, fields, validate

from creditsvc.core.refusals import Said

# marshmallow's English template -> catalogue code.
CODES = {
    "Missing data for required field.": "field_required",
    "Field may not be null.": "field_null",
    "Invalid value.": "field_validator_failed",
    "Not a valid string.": "field_not_string",
    "Not a valid utf-8 string.": "field_invalid_utf8",
    "Not a valid number.": "field_not_number",
    "Not a valid integer.": "field_not_integer",
    "Number too large.": "field_too_large",
    "Special numeric values (nan or infinity) are not permitted.": "field_special_number",
    "Not a valid boolean.": "field_not_boolean",
    "Not a valid datetime.": "field_not_datetime",
    "Not a valid date.": "field_not_date",
    "Not a valid list.": "field_not_list",
    "Not a valid mapping type.": "field_not_mapping",
    "Invalid input type.": "field_wrong_type",
    "Invalid type.": "field_wrong_type",
    "Unknown field.": "field_unknown",
    "Must be one of: {choices}.": "field_one_of",
    "Must be {min_op} {{min}}.": "field_range_min",
    "Must be {max_op} {{max}}.": "field_range_max",
    "Must be {min_op} {{min}} and {max_op} {{max}}.": "field_range_all",
    "greater than or equal to": "field_gte",
    "greater than": "field_gt",
    "less than or equal to": "field_lte",
    "less than": "field_lt",
    "Shorter than minimum length {min}.": "field_length_min",
    "Longer than maximum length {max}.": "field_length_max",
    "Length must be between {min} and {max}.": "field_length_all",
    "Length must be {equal}.": "field_length_equal",
    "String does not match expected pattern.": "field_pattern",
}
VALIDATOR_MESSAGES = {
    validate.Range: ("message_min", "message_max", "message_all", "message_gte", "message_gt",
                     "message_lte", "message_lt"),
    validate.Length: ("message_min", "message_max", "message_all", "message_equal"),
    validate.OneOf: ("default_message",),
    validate.Regexp: ("default_message",),
}


def _said(message):
    code = CODES.get(str(message))
    return Said(str(message), code) if code and not isinstance(message, Said) else message


def _field_classes():
    seen, todo = set(), [fields.Field]
    while todo:
        cls = todo.pop()
        if cls not in seen:
            seen.add(cls)
            todo.extend(cls.__subclasses__())
    return seen


def install() -> None:
    """Give marshmallow's fields, schemas and validators their messages as catalogue `Said`s."""
    for cls in _field_classes():
        own = cls.__dict__.get("default_error_messages")
        if own:
            own.update({key: _said(message) for key, message in own.items()})
    Schema._default_error_messages = {key: _said(message) for key, message
                                      in Schema._default_error_messages.items()}
    for validator, names in VALIDATOR_MESSAGES.items():
        for name in names:
            setattr(validator, name, _said(getattr(validator, name)))
