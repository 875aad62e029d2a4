"""The borrower may be a member; an application within a credit line shows it, to the bank too."""

from datetime import date

from sqlalchemy import update

from creditsvc.core.principal import Principal
from creditsvc.services.assessment import rating as ratings
from models import CreditLine, Household, HouseholdMember
from tests.api.test_applications import household, submit
from tests.books import user_id
from tests.factories import MemberFactory, id_number
from tests.services.test_ratings import survey
from tests.work import done

URL = "/api/v1/applications"
OLD_HEAD = [{"relation": "head", "birth_date": "1956-02-01", "labour_capable": True},
            MemberFactory(relation="child", birth_date="1986-04-01", labour_capable=True),
            MemberFactory(relation="other", birth_date="2015-04-01", labour_capable=False,
                          in_school=True)]


def _rule(body, rule_id):
    return next(r for r in body["assessment"]["rules"] if r["id"] == rule_id)


def test_a_head_of_70_is_declined_on_age_but_not_when_his_son_of_40_borrows(client, officer):
    hid = household(client, officer, members=OLD_HEAD, id_number=id_number(date(1956, 2, 1)))
    members = client.get(f"/api/v1/households/{hid}", headers=officer).get_json()["members"]
    son = next(m["id"] for m in members if m["relation"] == "child")
    head = submit(client, officer, "borrower-0001", household_id=hid).get_json()
    assert _rule(head, "borrower_age")["outcome"] == "fail" and head["decision"] == "declined"
    assert head["borrower"]["relation"] == "head" and head["borrower"]["member_id"] is None
    by_son = submit(client, officer, "borrower-0002", household_id=hid, borrower_member_id=son)
    assert by_son.status_code == 201, by_son.get_json()
    body = by_son.get_json()
    assert (_rule(body, "borrower_age")["value"], _rule(body, "borrower_age")["outcome"]) == (40, "pass")
    assert body["decision"] != "declined"
    assert body["borrower"] == {"member_id": son, "relation": "child", "name": ""}
    # The head joins the other members: his labour counts for the household, not his age.
    assert body["assessment"]["input"]["household"]["members"][0]["relation"] == "head"
    for app_id in (head["id"], body["id"]):
        replay = client.get(f"{URL}/{app_id}/replay", headers=officer).get_json()
        assert replay["matches"] is True
    # Naming the head's own member row is the head; someone not of the household is refused.
    head_row = next(m["id"] for m in members if m["relation"] == "head")
    same = submit(client, officer, "borrower-0003", household_id=hid, borrower_member_id=head_row)
    assert same.get_json()["borrower"]["member_id"] is None
    other = household(client, officer)
    stranger = submit(client, officer, "borrower-0004", household_id=other, borrower_member_id=son)
    assert stranger.status_code == 422 and stranger.get_json()["code"] == "borrower_not_member"


def test_the_bank_sees_the_line_on_the_application_it_receives(client, officer, keys, session):
    hid = household(client, officer, per_capita_income="12000.00", productive_assets="80000.00")
    h = session.get(Household, hid)
    survey(session, h)
    actor = Principal(user_id(session, "officer-x"), "officer-x", "officer")
    rating = done(session, ratings.rate_household, hid, actor=actor, on=date(2026, 11, 2))
    session.add(CreditLine(household_id=hid, town=h.town, village=h.village, rating_id=rating.id,
                           grade="AA", line_fen=1_500_000,
                           valid_from=date(2026, 6, 1), valid_until=date(2028, 5, 31),
                           policy_version=rating.policy_version, model_sha256=rating.model_sha256,
                           granted_by=actor.user_id, granted_on=date(2026, 6, 1)))
    session.commit()
    above = submit(client, officer, "line-0001", household_id=hid, amount="15000.01")
    assert above.status_code == 422 and above.get_json()["code"] == "amount_above_line"
    assert "15000.00" in above.get_json()["message"]
    made = submit(client, officer, "line-0002", household_id=hid, amount="5000.00").get_json()
    line = made["credit_line"]
    assert (line["valid"], line["grade"], line["line"], line["valid_until"]) == (
        True, "AA", "15000.00", "2028-05-31")
    if made["status"] == "referred":
        client.post(f"{URL}/{made['id']}/review", headers=keys.headers("fund_manager"),
                    json={"decision": "approve", "note": "visited", "approved_amount": "5000.00"})
    seen = client.get(f"{URL}/{made['id']}", headers=keys.headers("bank", "PSBC"))
    assert seen.status_code == 200, seen.get_json()
    assert seen.get_json()["credit_line"]["line"] == "15000.00"
    assert seen.get_json()["borrower"]["relation"] == "head"


def test_changing_the_members_keeps_a_borrower_and_refuses_to_drop_one(client, officer, session):
    hid = household(client, officer, members=OLD_HEAD, id_number=id_number(date(1956, 2, 1)))
    url = f"/api/v1/households/{hid}"
    members = client.get(url, headers=officer).get_json()["members"]
    son = next(m for m in members if m["relation"] == "child")
    # The son's own name and ID number, as a survey's members sheet leaves them.
    session.execute(update(HouseholdMember).where(HouseholdMember.id == son["id"]).values(
        name_enc="sealed", name_masked="陈*", id_number_masked="440524********0035"))
    session.commit()
    assert submit(client, officer, "keep-0001", household_id=hid,
                  borrower_member_id=son["id"]).status_code == 201
    # Sent back with their ids and one change: the same members, the son still the borrower.
    changed = [{**m, "labour_capable": False} if m["id"] == son["id"] else m for m in members]
    patched = client.patch(url, json={"members": changed}, headers=officer)
    assert patched.status_code == 200, patched.get_json()
    assert [m["id"] for m in patched.get_json()["members"]] == [m["id"] for m in members]
    row = session.get(HouseholdMember, son["id"])
    session.refresh(row)
    assert (row.labour_capable, row.name_masked, row.id_number_masked) == (
        False, "陈*", "440524********0035")
    # Leaving the borrower out, or sending the members as new ones, removes him: refused.
    for attempt in ([m for m in members if m["id"] != son["id"]],
                    [{k: v for k, v in m.items() if k != "id"} for m in members]):
        refused = client.patch(url, json={"members": attempt}, headers=officer)
        assert refused.status_code == 409, refused.get_json()
        assert refused.get_json()["code"] == "member_in_use"
        assert "Member 2 " in refused.get_json()["message"]
    # A member no longer named anywhere may go; an id from another file is refused.
    grandchild = next(m for m in members if m["relation"] == "other")
    kept = [m for m in members if m["id"] != grandchild["id"]]
    assert client.patch(url, json={"members": kept}, headers=officer).status_code == 200
    assert session.get(HouseholdMember, grandchild["id"]) is None
    other = client.get(f"/api/v1/households/{household(client, officer)}", headers=officer)
    foreign = [*kept, {**other.get_json()["members"][0]}]
    wrong = client.patch(url, json={"members": foreign}, headers=officer)
    assert wrong.status_code == 422 and wrong.get_json()["code"] == "member_not_found"
