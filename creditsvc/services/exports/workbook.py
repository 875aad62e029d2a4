"""A list as an xlsx sheet: Chinese headers, number formats, a frozen header row, widths that fit.

Written with XlsxWriter in constant-memory mode: each row goes to disk as it is written, so an
export of any size holds only one row in memory. Its columns' widths are fixed before the first
row (the mode allows no going back): they fit the header and the first rows (`SAMPLE`), a Chinese
character counting two widths, within a cap.

Values arrive as Python gives them: money as Decimal yuan (`core.money.from_fen`), dates as
`date`, a share as a Decimal fraction (0.15 is shown 15.00%), None as an empty cell.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from itertools import chain, islice
from typing import BinaryIO, Literal

import xlsxwriter

Kind = Literal["text", "money", "int", "date", "datetime", "percent"]
FORMATS: dict[str, dict] = {
    "money": {"num_format": "#,##0.00"},
    "int": {"num_format": "0"},
    "date": {"num_format": "yyyy-mm-dd"},
    "datetime": {"num_format": "yyyy-mm-dd hh:mm"},
    "percent": {"num_format": "0.00%"},
    "text": {},
}
SAMPLE = 200  # rows read ahead to fit the widths
MIN_WIDTH, MAX_WIDTH = 6, 48


@dataclass(frozen=True)
class Column:
    """One column of an export: its header (as shown, in the reader's language) and its kind."""

    header: str
    kind: Kind = "text"


def _width(value) -> int:
    """Display width of VALUE as written: a CJK (wide) character counts two."""
    if value is None:
        return 0
    if isinstance(value, datetime):
        return 16
    if isinstance(value, date):
        return 10
    if isinstance(value, Decimal):
        return len(f"{value:,.2f}")
    text = str(value)
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _fits(columns: Sequence[Column], rows: Sequence[Sequence]) -> list[int]:
    widths = [_width(c.header) for c in columns]
    for row in rows:
        for i, value in enumerate(row):
            widths[i] = max(widths[i], _width(value))
    return [min(MAX_WIDTH, max(MIN_WIDTH, w + 2)) for w in widths]


def write_xlsx(target: str | BinaryIO, columns: Sequence[Column], rows: Iterable[Sequence], *,
               sheet: str = "Sheet1", heading: Sequence[str] = ()) -> int:
    """Write ROWS under COLUMNS' headers into one sheet of a new workbook at TARGET; the row count.

    HEADING: lines above the header (a title, the filter applied, who exported when), kept in
    view with the header row when scrolling.
    """
    book = xlsxwriter.Workbook(target, {"constant_memory": True, "in_memory": False,
                                        "strings_to_numbers": False, "strings_to_formulas": False,
                                        "strings_to_urls": False})
    try:
        return _write_sheet(book, columns, rows, sheet, heading)
    finally:
        book.close()


def _write_sheet(book, columns: Sequence[Column], rows: Iterable[Sequence], sheet: str,
                 heading: Sequence[str]) -> int:
    page = book.add_worksheet(sheet[:31])
    bold = book.add_format({"bold": True, "bg_color": "#E9EEF4", "border": 1, "text_wrap": True,
                            "valign": "vcenter"})
    formats = [book.add_format(FORMATS[c.kind]) if FORMATS[c.kind] else None for c in columns]
    rows = iter(rows)
    ahead = list(islice(rows, SAMPLE))
    for i, width in enumerate(_fits(columns, ahead)):
        page.set_column(i, i, width, formats[i])
    top = len(heading)
    for r, line in enumerate(heading):
        page.write_string(r, 0, line)
    for i, column in enumerate(columns):
        page.write_string(top, i, column.header, bold)
    page.freeze_panes(top + 1, 0)
    n = 0
    for n, row in enumerate(chain(ahead, rows), start=1):
        r = top + n
        for i, value in enumerate(row):
            if value is None:
                continue
            fmt = formats[i]
            if isinstance(value, datetime):
                page.write_datetime(r, i, value.replace(tzinfo=None), fmt)
            elif isinstance(value, date):
                page.write_datetime(r, i, datetime(value.year, value.month, value.day), fmt)
            elif isinstance(value, (int, Decimal)) and not isinstance(value, bool):
                page.write_number(r, i, value, fmt)
            else:
                page.write_string(r, i, str(value), fmt)
    if n:
        page.autofilter(top, 0, top + n, len(columns) - 1)
    return n
