"""Reading an uploaded survey file safely: its limits, then its sheets as rows of cells by field.

An XLSX is a zip: before any XML is parsed its directory is read and refused when it holds
macros (vbaProject.bin, a macro-enabled content type), too many parts, or more uncompressed
bytes, or a higher compression ratio, than a survey sheet can have (a decompression bomb).
The cells are read by python-calamine (measured 6x faster than openpyxl's read-only mode on
100,000 rows: docs/benchmarks.md); it gives numbers as floats, which `values` normalises.
A CSV holds the main sheet only, in UTF-8 (with or without a BOM) or GB18030/GBK.
"""

import csv
import io
import zipfile
from dataclasses import dataclass, field

from creditsvc.core.errors import Invalid
from creditsvc.core.refusals import size
from creditsvc.services.survey import columns as cols

MAX_BYTES = 32 * 1024 * 1024
MAX_ROWS = 100_000  # households: the main sheet's data rows
MAX_MEMBER_ROWS = 600_000  # the members sheet's
MAX_SHEETS = 20
MAX_PARTS = 2_000
MAX_UNZIPPED = 512 * 1024 * 1024
MAX_RATIO = 200  # sheet XML compresses ~10-30x; a bomb compresses 1000x
MACRO_PARTS = ("vbaproject.bin", "vbaprojectsignature.bin")


@dataclass
class Sheet:
    """One sheet: its name, which field each column holds, and its data rows (row number, cells)."""

    name: str
    fields: dict[int, str]
    rows: list[tuple[int, list]] = field(default_factory=list)

    def record(self, cells: list) -> dict:
        """The row's cells by field (missing cells are None)."""
        return {key: (cells[i] if i < len(cells) else None) for i, key in self.fields.items()}


@dataclass
class Book:
    """A survey file as read: the main sheet and, from an XLSX, the members sheet."""

    kind: str  # "xlsx" | "csv"
    main: Sheet
    members: Sheet | None


def check_zip(data: bytes) -> None:
    """Refuse an XLSX that is not a zip, holds macros, or would unpack to a bomb."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise Invalid("survey_not_xlsx", fields=("file",))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
            content_types = z.read("[Content_Types].xml") if len(infos) <= MAX_PARTS else b""
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise Invalid("survey_file_invalid", fields=("file",)) from exc
    if len(infos) > MAX_PARTS:
        raise Invalid("survey_file_invalid", fields=("file",))
    if (any(i.filename.lower().rsplit("/", 1)[-1] in MACRO_PARTS for i in infos)
            or b"macroEnabled" in content_types):
        raise Invalid("survey_macros_refused", fields=("file",))
    unzipped = sum(i.file_size for i in infos)
    packed = max(sum(i.compress_size for i in infos), 1)
    worst = max((i.file_size / max(i.compress_size, 1) for i in infos if i.file_size > 1_000_000),
                default=0)
    if unzipped > MAX_UNZIPPED or worst > MAX_RATIO:
        raise Invalid("survey_zip_bomb", fields=("file",), size=size_text(unzipped),
                      limit=size(MAX_UNZIPPED), ratio=f"{max(worst, unzipped / packed):.0f}",
                      most=MAX_RATIO)


def size_text(n: int) -> str:
    """A byte count in MiB as people read it."""
    return f"{n / 1024 / 1024:.0f} MiB"


def _sheet(name: str, rows, lookup: dict[str, str], required: tuple[cols.Column, ...],
           most: int | None = None) -> Sheet:
    rows = enumerate(rows, start=1)
    # The header: the first row that is not blank.
    number, header = next(((n, h) for n, h in rows if not _blank(h)), (0, None))
    if header is None:
        raise Invalid("survey_empty", fields=("file",))
    found: dict[int, str] = {}
    for i, cell in enumerate(header):
        key = lookup.get(cols.header_key(cell))
        if key is not None and key not in found.values():
            found[i] = key
    missing = [c.header for c in required if c.required and c.key not in found.values()]
    if missing:
        raise Invalid("survey_header_invalid", fields=("file",), sheet=name,
                      missing="、".join(missing))
    sheet, most = Sheet(name, found), most or MAX_ROWS
    for offset, cells in rows:
        if not _blank(cells):
            sheet.rows.append((offset, list(cells)))
            if len(sheet.rows) > most:
                raise Invalid("survey_too_many_rows", fields=("file",), sheet=name, most=most)
    return sheet


def _blank(cells) -> bool:
    for c in cells:
        if c is not None and c != "" and (not isinstance(c, str) or c.strip(" \u3000\t")):
            return False
    return True


def decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise Invalid("survey_file_invalid", fields=("file",))


def read_book(data: bytes, filename: str) -> Book:
    """The file's sheets, headers matched by name; refused whole when it breaks a limit."""
    name = filename.lower()
    if name.endswith((".xlsm", ".xltm")):
        raise Invalid("survey_macros_refused", fields=("file",))
    if len(data) > MAX_BYTES:
        raise Invalid("payload_too_large", fields=("file",), limit=size(MAX_BYTES))
    if name.endswith(".csv"):
        lines = csv.reader(io.StringIO(decode(data), newline=""))
        return Book("csv", _sheet(cols.MAIN_SHEET, lines, cols.lookup(cols.MAIN), cols.MAIN), None)
    check_zip(data)
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = book.sheet_names
        if len(names) > MAX_SHEETS:
            raise Invalid("survey_too_many_sheets", fields=("file",), most=MAX_SHEETS,
                          count=len(names))
        visible = [n for n in names if n not in (cols.NOTES_SHEET,)]
        main_name = cols.MAIN_SHEET if cols.MAIN_SHEET in names else visible[0]
        main = _sheet(main_name, book.get_sheet_by_name(main_name).iter_rows(),
                      cols.lookup(cols.MAIN), cols.MAIN)
        members = None
        if cols.MEMBERS_SHEET in names:
            members = _sheet(cols.MEMBERS_SHEET,
                             book.get_sheet_by_name(cols.MEMBERS_SHEET).iter_rows(),
                             cols.lookup(cols.MEMBERS), cols.MEMBERS, MAX_MEMBER_ROWS)
    except (CalamineError, ValueError, IndexError, OSError) as exc:
        raise Invalid("survey_file_invalid", fields=("file",)) from exc
    return Book("xlsx", main, members)
