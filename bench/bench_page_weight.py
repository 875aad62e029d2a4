"""Benchmark the weight of a first load of each application and review page.

A first load is the page's HTML plus every stylesheet and script it links (`<link href>`,
`<script src>`), fetched as a browser with an empty cache would: through the app's test
client, signed in as an officer, on a fresh SQLite database with a household, an approved
and a referred application. Bytes as sent (the app does not compress; a proxy may). The goal:
at most 600 kB on pages without charts. Pages with charts load ECharts (1.1 MB);
they are reported, flagged, and not held to the goal.

Run: python bench/bench_page_weight.py
"""

import re
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from creditsvc import create_app  # noqa: E402
from creditsvc.infra import clock  # noqa: E402
from creditsvc.infra.extensions import db  # noqa: E402
from creditsvc.services.loans import applications  # noqa: E402
from tests import dbs  # noqa: E402
from tests.conftest import make_config  # noqa: E402
from tests.pages.cases import household, principal, referred_application  # noqa: E402
from tests.pages.people import csrf_of, make_person, sign_in  # noqa: E402
from tests.work import done  # noqa: E402

GOAL = 600_000
ASSET = re.compile(r'<(?:link[^>]+href|script[^>]+src)="(/[^"]+)"')
FORM = {"amount": "20000.00", "term_months": "12", "purpose": "planting", "bank": "PSBC"}


def _book(app):
    """An officer, a second officer, a household, an approved and a referred application."""
    with app.app_context():
        officer, reviewer = make_person("officer-li"), make_person("officer-wang")
        hid, _number = household()
        approved = done(db.session, applications.submit, principal(officer), household_id=hid,
                        amount=Decimal("8000.00"), term_months=12, purpose="planting",
                        bank="PSBC", on=clock.today()).id
        referred = referred_application(officer)
        db.session.close()
    return officer, reviewer, hid, approved, referred


def _get(client, path: str) -> bytes:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.get_data()


def first_load(client, path: str) -> tuple[int, int, bool]:
    """(HTML bytes, linked CSS + JS bytes, whether ECharts is loaded) of PATH."""
    html = _get(client, path)
    assets = sorted(set(ASSET.findall(html.decode("utf-8"))))
    weight = sum(len(_get(client, asset.split("?")[0])) for asset in assets)
    return len(html), weight, any("echarts" in a for a in assets)


def preview_fragment(client, hid: str) -> int:
    """Bytes of one 试算 answer (an htmx fragment; its charts reuse the loaded ECharts)."""
    page = client.get(f"/applications/new?household={hid}")
    token = re.search(r'name="form_token" value="([^"]+)"', page.get_data(as_text=True)).group(1)
    response = client.post("/applications/preview", data={
        **FORM, "household_id": hid, "csrf_token": csrf_of(page), "form_token": token})
    assert response.status_code == 200
    return len(response.get_data())


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(make_config(f"sqlite:///{folder}/weight.sqlite3"))
        dbs.migrate_to_head(app)
        officer, reviewer, hid, approved, referred = _book(app)
        client = app.test_client()
        assert sign_in(client, reviewer).status_code == 302
        pages = [("applications list", "/applications"),
                 ("new application (choose household)", "/applications/new"),
                 ("new application (household chosen)", f"/applications/new?household={hid}"),
                 ("application page", f"/applications/{approved}"),
                 ("review queue", "/reviews"),
                 ("review case page", f"/reviews/{referred}")]
        failed = False
        print(f"{'page':38} {'HTML':>9} {'CSS+JS':>10} {'total':>10}  charts  goal")
        for name, path in pages:
            html, assets, charts = first_load(client, path)
            total = html + assets
            verdict = "n/a (charts)" if charts else ("ok" if total <= GOAL else "OVER")
            failed |= verdict == "OVER"
            print(f"{name:38} {html / 1000:8.1f}k {assets / 1000:9.1f}k {total / 1000:9.1f}k"
                  f"  {'yes' if charts else 'no':6}  {verdict}")
        print(f"{'preview fragment (htmx, after the page)':38} {preview_fragment(client, hid) / 1000:8.1f}k")
        print(f"goal: at most {GOAL / 1000:.0f} kB on pages without charts")
        with app.app_context():
            db.engine.dispose()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
