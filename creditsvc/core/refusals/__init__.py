"""One catalogue of refusals: each code a user can meet, said once, with named parameters.

An entry's text is its Chinese (the pages' language and the Babel msgid); its English is in
`creditsvc/translations/en`. Both are picked when the refusal is rendered, never when it is
raised: a service raises a code and parameters (`Conflict("leverage_cap_reached")`,
`Invalid("extension_too_long", most=12)`), the page shows `text()` in the page's language
and the API's `message` is `english()` (see core/errors.py).

A field's message (marshmallow's own and the project's fields) is a `Said`: a str holding
the English that the API returns, which also carries its code and parameters so that a page
can show the catalogue's text in its own language instead.
"""

from functools import cache
from pathlib import Path

from babel.support import Translations
from flask import has_app_context
from flask_babel import force_locale

from creditsvc.core.refusals import (
    access,
    campaign,
    exports,
    feed,
    fields,
    fund,
    households,
    ledger,
    loans,
    papers,
    platform,
    ratings,
    subsidy,
    survey,
)

CATALOGUE = {**platform.TEXTS, **access.TEXTS, **households.TEXTS, **loans.TEXTS,
             **fund.TEXTS, **feed.TEXTS, **fields.TEXTS, **ratings.TEXTS, **campaign.TEXTS,
             **survey.TEXTS, **papers.TEXTS, **subsidy.TEXTS, **exports.TEXTS,
             **ledger.TEXTS}


class Said(str):
    """A field message: English as a str (what the API shows), with its catalogue code.

    marshmallow formats its message templates with `str.format`; a `Said` template keeps its
    code through that and gathers the values it was formatted with as its parameters. One
    made by `said` (the project's own messages) is rendered again from the catalogue instead.
    """

    code: str
    params: dict
    from_catalogue: bool

    def __new__(cls, english: str, code: str, params: dict | None = None,
                from_catalogue: bool = False):
        made = super().__new__(cls, english)
        made.code, made.params, made.from_catalogue = code, dict(params or {}), from_catalogue
        return made

    def format(self, *args, **kwargs) -> "Said":
        if self.from_catalogue:
            return said(self.code, **{**self.params, **kwargs})
        return Said(str.format(self, *args, **kwargs), self.code, {**self.params, **kwargs})

    def __reduce__(self):  # copy/deepcopy of a schema's fields keep the code
        return Said, (str(self), self.code, self.params, self.from_catalogue)


class _Params(dict):
    """The parameters of a text; one the raise forgot shows as a dash rather than failing."""

    def __missing__(self, key):
        return "—"


def _value(value):
    """A parameter as shown: a nested message in the same language, anything else as text."""
    return text(value.code, value.params) if isinstance(value, Said) else value


def text(code: str, params: dict | None = None) -> str:
    """The refusal CODE in the current locale (the page's), its parameters filled in."""
    entry = CATALOGUE.get(code)
    if entry is None:  # tests/test_refusals.py keeps every raised code in the catalogue
        return code
    return str(entry) % _Params({k: _value(v) for k, v in (params or {}).items()})


def chinese(code: str, params: dict | None = None) -> str:
    """The refusal CODE in Chinese (the catalogue's own text), whatever the page's language: a
    results file a bank clerk reads. Outside an app, the catalogue's msgid: its Chinese."""
    if has_app_context():
        with force_locale("zh_CN"):
            return text(code, params)
    return text(code, params)


def english(code: str, params: dict | None = None) -> str:
    """The refusal CODE in English: the API's message, the CLI's and the logs'."""
    if has_app_context():
        with force_locale("en"):
            return text(code, params)
    entry = CATALOGUE.get(code)  # outside an app (a unit test, a script): the catalogue's file
    if entry is None:
        return code
    return _english().gettext(str(entry)) % _Params({k: str(v) for k, v in (params or {}).items()})


@cache
def _english() -> Translations:
    return Translations.load(Path(__file__).resolve().parents[2] / "translations", ["en"])


def said(code: str, **params) -> Said:
    """A field message from the catalogue: its English for the API, its code for the pages."""
    return Said(english(code, params), code, params, from_catalogue=True)


def shown(message) -> str:
    """A field message in the current locale: a `Said` from the catalogue, else as it came."""
    return text(message.code, message.params) if isinstance(message, Said) else str(message)


class ValueProblem(ValueError):
    """A value the core refuses (an ID number, a mobile number, a name), by catalogue code."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code, self.params = code, params

    @property
    def said(self) -> Said:
        """The problem as a field message."""
        return said(self.code, **self.params)

    def __str__(self) -> str:
        return english(self.code, self.params)


def size(limit: int) -> str:
    """A size limit as a parameter, in units both languages read: 256 MiB, 64 KiB, 100 B."""
    for unit, scale in (("MiB", 1024 * 1024), ("KiB", 1024)):
        if limit >= scale and limit % scale == 0:
            return f"{limit // scale} {unit}"
    return f"{limit} B"
