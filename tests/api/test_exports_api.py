"""GET /api/v1/exports/{list}: the list as filtered as xlsx, masked or revealed, a bank's own
rows only, a large one as a job whose file only its owner gets."""

import hashlib
import io

import openpyxl
from sqlalchemy import select

from creditsvc.jobs import worker
from models import AuditEvent
from tests.services.export_books import export_book


def rows_of(response):
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return list(openpyxl.load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))


def test_a_bank_exports_its_own_loans_as_filtered(app, client, keys, session):
    loans, _, _ = export_book(session)
    psbc, abc = keys.headers("bank", "PSBC"), keys.headers("bank", "ABC")
    mine = {r[0] for r in rows_of(client.get("/api/v1/exports/loans", headers=psbc))[5:]}
    assert mine == {loan.number for loan in loans.values() if loan.bank_code == "PSBC"}
    theirs = rows_of(client.get("/api/v1/exports/loans?status=repaid", headers=abc))
    assert [r[0] for r in theirs[5:]] == [loans["repaid"].number]
    bad = client.get("/api/v1/exports/loans?status=lost", headers=abc)
    assert bad.status_code == 422 and "status" in bad.get_json()["errors"]["query"]


def test_a_reveal_is_for_officers_and_audited(app, client, keys, session):
    export_book(session)
    refused = client.get("/api/v1/exports/loans?reveal_reason=县里核对贷款户名单",
                         headers=keys.headers("bank"))
    assert refused.status_code == 403 and refused.get_json()["code"] == "export_reveal_forbidden"
    short = client.get("/api/v1/exports/loans?reveal_reason=看看", headers=keys.headers("officer"))
    assert short.status_code == 422
    answer = client.get("/api/v1/exports/loans-coming-due?reveal_reason=县里核对贷款户名单",
                        headers=keys.headers("officer"))
    assert answer.status_code == 200
    event = session.execute(select(AuditEvent).where(AuditEvent.action == "export.reveal")).scalar_one()
    assert event.detail["sha256"] == hashlib.sha256(answer.data).hexdigest()
    assert client.get("/api/v1/exports/households", headers=keys.headers("bank")).status_code == 403


def test_a_large_export_is_a_job_for_its_owner_alone(app, client, keys, session):
    export_book(session)
    app.config["EXPORT_JOB_ROWS"] = 1
    psbc = keys.headers("bank", "PSBC")
    answer = client.get("/api/v1/exports/loans", headers=psbc)
    assert answer.status_code == 202
    job_id = answer.get_json()["id"]
    worker.run(session, once=True, beat_seconds=0.2)
    got = client.get(f"/api/v1/jobs/{job_id}/result", headers=psbc)
    assert len(rows_of(got)) == 5 + 5
    for other in (keys.headers("bank", "ABC"), keys.headers("officer"),
                  keys.headers("bank", "PSBC", name="psbc-colleague")):
        assert client.get(f"/api/v1/jobs/{job_id}/result", headers=other).status_code == 404
