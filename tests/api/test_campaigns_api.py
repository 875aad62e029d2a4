"""The campaign's API: open, list, entries, views (all or none), 公示, objections, grant, lines."""

from datetime import timedelta

from sqlalchemy import select

from creditsvc.core.principal import Principal
from creditsvc.infra.extensions import db
from creditsvc.services.access import areas
from creditsvc.services.campaign import rate
from creditsvc.services.platform.uow import UnitOfWork
from models import User
from tests.campaign_scenario import fake_rate, surveyed
from tests.conftest import ACTOR
from tests.pages.people import assign_area, make_person
from tests.today import TODAY


def test_a_campaign_through_the_api(app, client, keys, business_date):
    headers = keys.headers("officer", name="officer-api")
    officer = db.session.execute(select(User).where(User.name == "officer-api")).scalar_one()
    with UnitOfWork(db.session) as uow:
        areas.assign(uow.session, ACTOR, officer.id, [areas.Area.parse("渔湖镇")])
        uow.commit()
    ids = surveyed(db.session, 2)
    made = client.post("/api/v1/campaigns", json={"town": "渔湖镇", "village": "东湖村"},
                       headers=headers)
    assert made.status_code == 201, made.json
    campaign_id = made.json["id"]
    assert made.json["number"] == "PJ-2026-000001" and made.json["status"] == "open"
    assert client.post("/api/v1/campaigns", json={"town": "地都镇"},
                       headers=headers).json["code"] == "campaign_outside_area"
    assert [c["id"] for c in client.get("/api/v1/campaigns", headers=headers).json] == [campaign_id]
    job = client.post(f"/api/v1/campaigns/{campaign_id}/rating", headers=headers)
    assert job.status_code == 202 and job.headers["Location"].startswith("/api/v1/jobs/")
    with UnitOfWork(db.session) as uow:  # the worker's part, with rows in place of the scorer
        actor = Principal(officer.id, officer.name, "officer")
        rate.rate_campaign(uow.session, actor, campaign_id, today=TODAY,
                           rate=fake_rate())
        uow.commit()
    entries = client.get(f"/api/v1/campaigns/{campaign_id}/entries", headers=headers).json
    assert {e["household_id"] for e in entries} == set(ids)
    assert entries[0]["rating_line"] == "30000.00" and entries[0]["head_name"] == "陈*"
    views = [{"entry_id": entries[0]["id"], "view": "lower", "line": "40000.00", "note": "x"},
             {"entry_id": entries[1]["id"], "view": "agree"}]
    bad = client.post(f"/api/v1/campaigns/{campaign_id}/committee-views", json={"views": views},
                      headers=headers)
    assert bad.status_code == 422 and bad.json["code"] == "committee_views_invalid"
    assert list(bad.json["errors"]) == [entries[0]["id"]]
    views[0]["line"] = "20000.00"
    ok = client.post(f"/api/v1/campaigns/{campaign_id}/committee-views", json={"views": views},
                     headers=headers)
    assert ok.status_code == 200
    started = client.post(f"/api/v1/campaigns/{campaign_id}/notice", headers=headers)
    assert started.json["notice_until"] == (TODAY + timedelta(days=7)).isoformat()
    objection = client.post(f"/api/v1/campaigns/{campaign_id}/objections", headers=headers,
                            json={"raised_by": "林小红", "content": "情况不实",
                                  "entry_id": entries[1]["id"]})
    assert objection.status_code == 201 and objection.json["raised_by"] == "林**"
    business_date(TODAY + timedelta(days=8))
    assert client.post(f"/api/v1/campaigns/{campaign_id}/grant",
                       headers=headers).json["code"] == "objections_open"
    resolved = client.post(
        f"/api/v1/campaigns/{campaign_id}/objections/{objection.json['id']}/resolution",
        headers=headers, json={"outcome": "dismissed", "resolution": "经核实情况属实，驳回"})
    assert resolved.json["status"] == "dismissed"
    granted = client.post(f"/api/v1/campaigns/{campaign_id}/grant", headers=headers)
    assert granted.status_code == 200 and granted.json["status"] == "granted"
    lines = client.get(f"/api/v1/households/{entries[0]['household_id']}/credit-lines",
                       headers=headers).json
    assert [(x["grade"], x["line"], x["status"]) for x in lines] == [("AA", "20000.00", "active")]
    again = client.post(f"/api/v1/campaigns/{campaign_id}/grant", headers=headers)
    assert again.status_code == 409 and again.json["code"] == "campaign_granted"


def test_another_area_and_other_roles_see_no_campaign(app, client, keys):
    person = make_person("officer-elsewhere", area=("地都镇",))
    assign_area(person, "地都镇")
    assert client.get("/api/v1/campaigns/nope", headers=keys.headers("officer")).status_code == 404
    assert client.get("/api/v1/campaigns", headers=keys.headers("bank")).status_code == 403
