"""A long list on paper as a grid of fixed-width text: one table cell per row.

WeasyPrint lays out a table cell by cell: a 公示 list of 1,000 households as a six-column table
is 7,000 boxes and took 8 to 10 s here; the same list as one preformatted line per row in
Noto Sans Mono CJK (a CJK character exactly two Latin widths) took about 1.5 s. The columns are
padded to their widest value (a CJK character counted twice), the column rules are one
background gradient at the columns' edges (in `ch`, one Latin width), and the font is made
smaller when the columns would be wider than the page.
"""

import unicodedata
from dataclasses import dataclass

# The text width of an A4 page between the papers' margins (210 - 2 x 16 mm), in points.
PAGE_WIDTH_PT = 178 / 25.4 * 72
LARGEST_PT = 10.5
RULE = "#000"


def width(text: str) -> int:
    """TEXT's width in Latin character widths (a wide or full-width character counts two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, size: int, right: bool) -> str:
    room = size - width(text)
    return " " * (room - 1) + text + " " if right else " " + text + " " * (room - 1)


@dataclass(frozen=True)
class Grid:
    """The header line, each row's line, the font size and the column rules' gradient."""

    header: str
    lines: list[str]
    size_pt: float
    rules: str


def grid(header: list[str], rows: list[list[str]], right: tuple[int, ...] = ()) -> Grid:
    """HEADER and ROWS (strings) as padded lines; columns listed in RIGHT are right-aligned."""
    sizes = [max([width(h), *(width(r[k]) for r in rows)]) + 2 for k, h in enumerate(header)]
    # A Latin character of Noto Sans Mono CJK is half an em wide. Narrow columns share the
    # page's spare width; wide ones make the font smaller.
    room = int(PAGE_WIDTH_PT / (LARGEST_PT * 0.5)) - 1
    spare = room - sum(sizes)
    if spare > 0:
        sizes = [size + spare // len(sizes) for size in sizes]
    size_pt = min(LARGEST_PT, round(PAGE_WIDTH_PT / ((sum(sizes) + 1) * 0.5), 2))
    edges, x = [], 0
    for size in sizes[:-1]:
        x += size
        edges.append(x)
    stops = ", ".join(f"transparent {e}ch, {RULE} {e}ch, {RULE} calc({e}ch + 0.6pt), "
                      f"transparent calc({e}ch + 0.6pt)" for e in edges)

    def line(cells: list[str]) -> str:
        return "".join(_pad(c, s, k in right) for k, (c, s) in enumerate(zip(cells, sizes,
                                                                              strict=True)))

    return Grid(line(header), [line(r) for r in rows], size_pt,
                f"linear-gradient(to right, {stops})")
