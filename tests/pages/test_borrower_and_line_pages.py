"""The officer chooses the borrower (贷款人) and sees the household's line; the pages name both."""

import re
from datetime import date, timedelta

from sqlalchemy import select

from creditsvc.infra import clock
from creditsvc.infra.extensions import db
from creditsvc.services.assessment import rating as ratings
from models import Application, CreditLine, Household, HouseholdMember, HouseholdSurvey
from tests.factories import MemberFactory, id_number
from tests.pages.cases import FORM, household, principal
from tests.pages.people import csrf_of
from tests.work import done

TOKEN = re.compile(r'name="form_token" value="([^"]+)"')
MEMBERS = [{"relation": "head", "birth_date": "1956-02-01", "labour_capable": True},
           MemberFactory(relation="child", birth_date="1986-04-01", labour_capable=True),
           MemberFactory(relation="other", birth_date="1940-04-01", labour_capable=True)]


def _line(person, hid, *, valid_until):
    """HID rated and granted a ¥15,000 AA line until VALID_UNTIL."""
    db.session.add(HouseholdSurvey(household_id=hid, willing=True, intended_amount_fen=1_000_000,
                                   purpose="planting", term_months=12))
    db.session.commit()
    rating = done(db.session, ratings.rate_household, hid, actor=principal(person), on=clock.today())
    h = db.session.get(Household, hid)
    db.session.add(CreditLine(household_id=hid, town=h.town, village=h.village, rating_id=rating.id,
                              grade="AA", line_fen=1_500_000,
                              valid_from=date(2024, 6, 1), valid_until=valid_until,
                              policy_version=rating.policy_version, model_sha256=rating.model_sha256,
                              granted_by=person.user_id, granted_on=date(2024, 6, 1)))
    db.session.commit()
    db.session.close()


def test_the_officer_names_a_son_as_borrower_and_the_pages_name_him(as_user, people):
    hid, _ = household(members=MEMBERS, id_number=id_number(date(1956, 2, 1)))
    son = db.session.execute(select(HouseholdMember.id).where(
        HouseholdMember.household_id == hid, HouseholdMember.relation == "child")).scalar_one()
    db.session.close()
    officer = as_user("officer")
    page = officer.get(f"/applications/new?household={hid}")
    text = page.get_data(as_text=True)
    assert 'name="borrower_member_id"' in text and f'value="{son}"' in text
    assert "（子女，40 岁）" in text and "（其他，86 岁）" not in text  # only 18 to 65, able to work
    assert "无授信（按一般评估办理）" in text
    posted = officer.post("/applications", data={**FORM, "household_id": hid,
                                                 "borrower_member_id": son, "csrf_token": csrf_of(page),
                                                 "form_token": TOKEN.search(text).group(1)})
    assert posted.status_code == 303, posted.get_data(as_text=True)[:2000]
    app = db.session.execute(select(Application).where(Application.household_id == hid)).scalar_one()
    assert app.borrower_member_id == son and app.decision != "declined"
    shown = officer.get(posted.headers["Location"]).get_data(as_text=True)
    assert "贷款人" in shown and "（子女）" in shown


def test_a_valid_line_caps_the_amount_on_the_form(as_user, people):
    hid, _ = household(per_capita_income="12000.00")
    _line(people["officer"], hid, valid_until=clock.today() + timedelta(days=300))
    officer = as_user("officer")
    page = officer.get(f"/applications/new?household={hid}")
    text = page.get_data(as_text=True)
    assert "AA级，额度 15000.00 元" in text and "可用额度 15000.00 元" in text
    refused = officer.post("/applications", data={**FORM, "household_id": hid, "amount": "15000.01",
                                                  "csrf_token": csrf_of(page),
                                                  "form_token": TOKEN.search(text).group(1)})
    assert refused.status_code == 422
    assert "申请金额不得超过授信可用额度 15000.00 元" in refused.get_data(as_text=True)


def test_an_expired_line_shows_its_reason_on_the_application_and_to_the_bank(as_user, people):
    hid, _ = household(per_capita_income="12000.00", productive_assets="80000.00")
    expired = clock.today() - timedelta(days=1)
    _line(people["officer"], hid, valid_until=expired)
    officer = as_user("officer")
    page = officer.get(f"/applications/new?household={hid}")
    reason = f"授信已于 {expired.isoformat()} 到期，按无授信办理"
    assert reason in page.get_data(as_text=True)
    text = page.get_data(as_text=True)
    posted = officer.post("/applications", data={**FORM, "household_id": hid, "amount": "5000.00",
                                                 "csrf_token": csrf_of(page),
                                                 "form_token": TOKEN.search(text).group(1)})
    assert posted.status_code == 303
    assert reason in officer.get(posted.headers["Location"]).get_data(as_text=True)
    app = db.session.execute(select(Application).where(Application.household_id == hid)).scalar_one()
    app.status, app.approved_amount_fen = "approved", app.amount_fen  # the bank sees it once approved
    db.session.commit()
    app_id = app.id
    db.session.close()
    bank_user = as_user("psbc")
    bank = bank_user.get(f"/bank/applications/{app_id}")
    assert bank.status_code == 200 and reason in bank.get_data(as_text=True)
    head = db.session.get(Household, hid).head_name_masked
    assert f"{head}（户主）" in bank.get_data(as_text=True)
    accepted = db.session.get(Application, app_id)
    accepted.status, accepted.accepted_on = "accepted", clock.today()
    db.session.commit()
    db.session.close()
    disburse = bank_user.get(f"/bank/applications/{app_id}/disburse")
    assert disburse.status_code == 200 and f"{head}（户主）" in disburse.get_data(as_text=True)
