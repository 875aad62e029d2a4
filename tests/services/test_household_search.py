"""The household services behind the officer's pages: search keys, keyset pages, the diff."""

from datetime import date
from decimal import Decimal

from flask import current_app
from sqlalchemy import select

from creditsvc.core.principal import Principal
from creditsvc.schemas.households import HouseholdInSchema
from creditsvc.services.households import files as households
from creditsvc.services.households.changes import change_record, diff
from creditsvc.services.households.search import HouseholdFilter, find_households, search_hash
from models import AuditEvent
from tests.factories import HouseholdFactory, HouseholdRowFactory, id_number
from tests.today import TODAY
from tests.work import done

OFFICER = Principal(user_id=None, name="officer-test", role="officer")


def cipher():
    return current_app.extensions["creditsvc.core.pii"]


def test_search_hash_tells_id_numbers_phones_and_names_apart(app):
    number = id_number(date(1970, 1, 2))
    assert search_hash(cipher(), number.lower()) == ("id", cipher().blind_index("id", number))
    assert search_hash(cipher(), "138 0013 8000") == (
        "phone", cipher().blind_index("phone", "13800138000"))
    assert search_hash(cipher(), " 陈建国 ") == ("name", cipher().blind_index("name", "陈建国"))
    # One or two characters: a name's beginning.
    assert search_hash(cipher(), "陈") == ("name1", cipher().blind_index("name1", "陈"))
    assert search_hash(cipher(), "陈建") == ("name2", cipher().blind_index("name2", "陈建"))
    assert search_hash(cipher(), "陈*国") is None and search_hash(cipher(), "12345") is None


def test_keyset_pages_walk_both_ways(app, session):
    rows = HouseholdRowFactory.create_batch(7)
    order = [h.id for h in sorted(rows, key=lambda h: (h.created_at, h.id))]
    f = HouseholdFilter()
    first = find_households(session, f, today=TODAY, page_size=3)
    assert [r.household.id for r in first.items] == order[:3]
    assert (first.total, first.over_cap, first.prev_cursor) == (7, False, None)
    second = find_households(session, f, today=TODAY, page_size=3,
                             after=first.next_cursor, count=False)
    assert [r.household.id for r in second.items] == order[3:6] and second.total is None
    third = find_households(session, f, today=TODAY, page_size=3,
                            after=second.next_cursor)
    assert [r.household.id for r in third.items] == order[6:] and third.next_cursor is None
    back = find_households(session, f, today=TODAY, page_size=3,
                           before=third.prev_cursor)
    assert [r.household.id for r in back.items] == order[3:6]
    assert back.next_cursor and back.prev_cursor
    start = find_households(session, f, today=TODAY, page_size=3,
                            before=back.prev_cursor)
    assert [r.household.id for r in start.items] == order[:3] and start.prev_cursor is None


def test_diff_keeps_only_what_changed():
    before = {"village": "东湖村", "town": "渔湖镇", "members": [{"relation": "head"}]}
    after = {"village": "西湖村", "town": "渔湖镇", "members": [{"relation": "head"}]}
    assert diff(before, after) == ({"village": "东湖村"}, {"village": "西湖村"})


def test_update_records_the_real_change_and_never_personal_values(app, session):
    data = HouseholdInSchema().load(HouseholdFactory(head_name="陈建国", phone="13800001234"))
    h = done(session, households.create_household, OFFICER, cipher(), data)
    done(session, households.update_household, OFFICER, cipher(), h.id,
         {"head_name": "陈建国", "phone": "13900001234", "outside_debt": Decimal("1500.00"),
          "guarantees": {"housing": False}})
    event = session.execute(select(AuditEvent).where(
        AuditEvent.action == "household.update")).scalar_one()
    assert event.before == {"outside_debt_fen": 0, "housing_secure": True}
    assert event.after == {"outside_debt_fen": 150_000, "housing_secure": False}
    # The same name typed again is no change; the new phone is, by name only.
    assert event.detail == {"fields": ["housing_secure", "outside_debt_fen", "phone"],
                            "personal": ["phone"]}
    [update, create] = change_record(session, h.id)
    assert create.action == "household.create" and update.action == "household.update"
    assert update.fields == [("outside_debt_fen", 0, 150_000), ("housing_secure", True, False)]
    assert update.personal == ["phone"]
