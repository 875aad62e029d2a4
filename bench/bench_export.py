"""Benchmark the export: 100,000 loans to xlsx through the export service, against a bare
XlsxWriter constant-memory writer writing the same rows, in the same run.

The book is made in PostgreSQL with set-based inserts (bench/bookgen.py: one real loan cloned
N times). Each target runs in a child process of its own, so that its peak memory is its own
(the process's max RSS, `resource.getrusage`):
- export: `services.exports.run.write_export` of the bank's loan list, as a bank's staff exports
  it (the list's query read whole, cells made, headings, formats, widths, the file's SHA-256);
- bare: the same rows, read first (not timed) as the export makes them, then written by a bare
  `xlsxwriter.Workbook(constant_memory=True)` with the same column formats and `write_row`.
Goal: the export at least 50% of the bare writer's rows/s; its peak memory under 500 MiB.

Run: python bench/bench_export.py [--loans 100000]
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import xlsxwriter  # noqa: E402

from bench.bookgen import make_book, vacuum  # noqa: E402
from creditsvc import create_app  # noqa: E402
from creditsvc.core.principal import Principal  # noqa: E402
from creditsvc.infra.extensions import db  # noqa: E402
from creditsvc.services.exports import run  # noqa: E402
from creditsvc.services.exports.workbook import FORMATS  # noqa: E402
from tests import dbs  # noqa: E402
from tests.conftest import make_config  # noqa: E402
from tests.integration.servers import pg_app  # noqa: E402
from tests.today import TODAY  # noqa: E402

BANK = Principal(user_id=None, name="bench-psbc", role="bank", bank_code="PSBC")
MIB = 1024  # ru_maxrss is in KiB on Linux


def _export(url: str) -> dict:
    app = create_app(make_config(url))
    with app.app_context(), app.test_request_context("/"):
        started = time.perf_counter()
        made = run.write_export(db.session, BANK, "loans", {}, today=TODAY)
        took = time.perf_counter() - started
    return {"rows": made.rows, "seconds": took, "bytes": len(made.body)}


def _bare(url: str) -> dict:
    app = create_app(make_config(url))
    with app.app_context(), app.test_request_context("/"):
        spec = run.LISTS["loans"]
        query = run.selected_query(spec, spec.query(db.session, BANK, {}, TODAY), False)
        rows = list(run.cells(db.session, spec, query, None, None, None))
        headers = [str(f.header) for f in spec.fields]
        kinds = [f.kind for f in spec.fields]
    fd, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(fd)
    try:
        started = time.perf_counter()
        book = xlsxwriter.Workbook(path, {"constant_memory": True})
        page = book.add_worksheet("loans")
        for i, kind in enumerate(kinds):
            page.set_column(i, i, 14, book.add_format(FORMATS[kind]) if FORMATS[kind] else None)
        page.write_row(0, 0, headers)
        for r, row in enumerate(rows, start=1):
            page.write_row(r, 0, row)
        book.close()
        took = time.perf_counter() - started
        size = os.path.getsize(path)
    finally:
        os.unlink(path)
    return {"rows": len(rows), "seconds": took, "bytes": size}


def child(target: str, url: str) -> None:
    """Run TARGET in this process and print its figures with the process's peak memory."""
    figures = (_export if target == "export" else _bare)(url)
    figures["max_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / MIB
    print(json.dumps(figures))


def measure(target: str, url: str) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", target, "--url", url],
                         check=True, capture_output=True, text=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loans", type=int, default=100_000)
    parser.add_argument("--child", choices=("export", "bare"))
    parser.add_argument("--url")
    args = parser.parse_args()
    if args.child:
        return child(args.child, args.url)
    if why := dbs.pg_reachable():
        raise SystemExit(why)
    with pg_app() as (app, url):
        with app.app_context():
            t0 = time.perf_counter()
            make_book(db.session, args.loans, max(args.loans // 2, 1))
            vacuum(db.engine)
            db.session.remove()
            print(f"book: {args.loans:,} loans made in {time.perf_counter() - t0:.1f} s")
        bare, export = measure("bare", url), measure("export", url)
    assert bare["rows"] == export["rows"] == args.loans, (bare, export)
    for name, f in (("bare XlsxWriter", bare), ("export service", export)):
        print(f"{name}: {f['rows']:,} rows in {f['seconds']:.2f} s = "
              f"{f['rows'] / f['seconds']:,.0f} rows/s; {f['bytes'] / 1e6:.1f} MB; "
              f"peak RSS {f['max_rss_mib']:.0f} MiB")
    ratio = bare["seconds"] / export["seconds"]
    print(f"export at {ratio:.1%} of the bare writer's rows/s (goal >= 50%); "
          f"peak RSS {export['max_rss_mib']:.0f} MiB (goal < 500 MiB); "
          f"load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
