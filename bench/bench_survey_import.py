"""Benchmark the survey import: 100,000 households from one XLSX, on SQLite and PostgreSQL.

One workbook (bench-made: the main sheet, and a members sheet with the head and one more
member per household) is imported through the service the job runs (`survey.imports.run` in
one unit of work): read, check every cell, plan against the files on record, encrypt and
index the personal data, write files, members and survey sheets set-based, commit. Then the
same workbook again with every tenth household changed in two fields: the re-import writes
those files and one change record each, and leaves the rest untouched.

The baseline, in the same run on the same database: the same workbook read by the fastest
reader (calamine; openpyxl's read-only mode is timed beside it), plus a bare bulk load of its
raw cells into an unindexed table of text columns (COPY on PostgreSQL, executemany on
SQLite). The goal is an import at >= 10% of the baseline's households per second.

Run: python bench/bench_survey_import.py [--households 100000] [--db sqlite,postgresql]
"""

import argparse
import io
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402

from creditsvc import create_app  # noqa: E402
from creditsvc.core.idcard import check_char  # noqa: E402
from creditsvc.core.principal import Principal  # noqa: E402
from creditsvc.core.vocab import TOWNS  # noqa: E402
from creditsvc.infra.extensions import db  # noqa: E402
from creditsvc.services.access import areas, users  # noqa: E402
from creditsvc.services.survey import imports  # noqa: E402
from tests import dbs  # noqa: E402
from tests.conftest import ACTOR, make_config  # noqa: E402
from tests.services.survey_files import MAIN, MEMBERS  # noqa: E402
from tests.today import TODAY  # noqa: E402
from tests.work import done  # noqa: E402

SURNAMES = "陈林黄张李王吴刘蔡杨郑许谢洪郭邱曾廖赖徐"
GIVEN = "明华强伟芳娟敏静丽军平刚桂英秀兰玉珍红霞"


def _id(birth: date, seq: int) -> str:
    first17 = f"4499{seq // 1000 % 100:02d}{birth:%Y%m%d}{seq % 1000:03d}"
    return first17 + check_char(first17)


def _name(i: int) -> str:
    return SURNAMES[i % 20] + GIVEN[i // 20 % 20] + GIVEN[i // 400 % 20]


def workbook(n: int, changed_every: int = 0) -> bytes:
    """N households, each with its head and one member on the members sheet."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    main, members = book.create_sheet("调查表"), book.create_sheet("家庭成员")
    main.append(MAIN[:-1])
    members.append(MEMBERS)
    for i in range(n):
        # Unique numbers: the year and day of birth carry i's high part, the sequence its low.
        head = _id(date(1950 + i // 3_650_000 % 40 + (i // 100_000) % 10, 1 + i // 1000 % 12,
                        1 + i // 12_000 % 28), i)
        spouse = _id(date(1992, 1 + i // 1000 % 12, 1 + i // 12_000 % 28), i)
        change = changed_every and i % changed_every == 0
        town = TOWNS[i % 4]
        main.append([town, f"{town[:2]}{i % 23 + 1}村", str(i % 9 + 1), _name(i), head,
                     f"138{i % 100_000_000:08d}", 2, 2, "监测户" if change else "建档立卡贫困户",
                     None, "种植", 6800 + i % 5000, "是", 20000 if change else 30000, "种植",
                     36, spouse if i % 3 == 0 else None, "李干部", 46086 + i % 200])
        members.append([head, _name(i), head, "户主", "是", "否", "否", "否"])
        members.append([head, _name(i + 7), spouse, "配偶", "是", "否", "否", "否"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cached(n: int, changed_every: int) -> bytes:
    """The workbook, made once per size in the temporary directory (making it takes minutes)."""
    path = Path(tempfile.gettempdir()) / f"bench-survey-{n}-{changed_every}.xlsx"
    if not path.exists():
        path.write_bytes(workbook(n, changed_every))
    return path.read_bytes()


def read_calamine(data: bytes) -> list[list]:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return [row for name in book.sheet_names
            for row in book.get_sheet_by_name(name).iter_rows()]


def read_openpyxl(data: bytes) -> int:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    return sum(1 for sheet in book.worksheets for _ in sheet.iter_rows(values_only=True))


def bare_load(session, rows: list[list], pg: bool) -> None:
    """The raw cells, as text, into an unindexed table (rolled back)."""
    width = max(len(r) for r in rows)
    cols = ", ".join(f"c{i} text" for i in range(width))
    names = ", ".join(f"c{i}" for i in range(width))
    values = [[None if c in ("", None) else str(c) for c in r] + [None] * (width - len(r))
              for r in rows]
    session.execute(text(f"CREATE TABLE bare_cells ({cols})"))
    if pg:
        raw = session.connection().connection.driver_connection
        with raw.cursor() as cur, cur.copy(f"COPY bare_cells ({names}) FROM STDIN") as copy:
            for row in values:
                copy.write_row(row)
    else:
        raw = session.connection().connection.driver_connection
        raw.executemany(f"INSERT INTO bare_cells VALUES ({', '.join('?' * width)})", values)
    session.rollback()


def _timed(fn, *args, **kwargs):
    started = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - started, result


def run(kind: str, n: int, first: bytes, second: bytes) -> None:
    tmp = tempfile.mkdtemp()
    if kind == "postgresql":
        if why := dbs.pg_reachable():
            print(f"postgresql: skipped ({why})")
            return
        name = dbs.new_pg_database()
        url = dbs.pg_url(name)
    else:
        name, url = None, f"sqlite:///{tmp}/bench.sqlite3"
    app = create_app(make_config(url))
    try:
        dbs.migrate_to_head(app)
        with app.app_context():
            session, cipher = db.session, app.extensions["creditsvc.core.pii"]
            user, _ = done(session, users.create_user, ACTOR, "bench-officer", "officer")
            done(session, areas.assign, ACTOR, user.id, [areas.Area(t) for t in TOWNS])
            officer = Principal(user.id, user.name, "officer")
            t_cal, cells = _timed(read_calamine, first)
            t_opx, _ = _timed(read_openpyxl, first)
            t_load, _ = _timed(bare_load, session, cells, kind == "postgresql")
            base, sheet_rows = t_cal + t_load, len(cells)
            del cells  # the import reads the file again itself
            t_new, got = _timed(done, session, imports.run, officer, cipher, first, "bench.xlsx",
                                today=TODAY)
            assert got["new"] == n, got
            t_again, again = _timed(done, session, imports.run, officer, cipher, second,
                                    "bench.xlsx", today=TODAY)
            assert (again["changed"], again["unchanged"]) == (len(range(0, n, 10)),
                                                              n - len(range(0, n, 10))), again
            events = session.execute(text("SELECT count(*) FROM audit_events "
                                          "WHERE action = 'household.update'")).scalar_one()
            session.rollback()
            db.engine.dispose()
        print(f"{kind}: {n:,} households ({sheet_rows:,} sheet rows), load average "
              f"{os.getloadavg()[0]:.2f}")
        print(f"  read: calamine {t_cal:.2f} s, openpyxl read-only {t_opx:.2f} s "
              f"({t_opx / t_cal:.1f}x)")
        print(f"  baseline (calamine + bare {'COPY' if name else 'executemany'} {t_load:.2f} s): "
              f"{base:.2f} s = {n / base:,.0f} households/s")
        print(f"  import, all new: {t_new:.2f} s = {n / t_new:,.0f} households/s = "
              f"{base / t_new:.1%} of the baseline")
        print(f"  re-import, every 10th changed in 2 fields ({events:,} change records): "
              f"{t_again:.2f} s = {n / t_again:,.0f} households/s = {base / t_again:.1%} of the baseline")
    finally:
        if name:
            dbs.drop_pg_database(name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument("--db", default="sqlite,postgresql")
    args = parser.parse_args()
    started = time.perf_counter()
    first, second = (_cached(args.households, every) for every in (0, 10))
    print(f"workbooks made in {time.perf_counter() - started:.1f} s "
          f"({len(first) / 1e6:.1f} MB each)")
    for kind in args.db.split(","):
        run(kind, args.households, first, second)


if __name__ == "__main__":
    main()
