"""Personal data: ID numbers and phones are ASCII or refused; notes never keep them in clear."""

from sqlalchemy import text

from tests.api.test_applications import household
from tests.factories import HouseholdFactory, id_number

HOUSEHOLDS = "/api/v1/households"
FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def test_a_full_width_id_number_is_the_same_person(client, officer, session):
    number = id_number()
    first = client.post(HOUSEHOLDS, json=HouseholdFactory(id_number=number), headers=officer)
    assert first.status_code == 201
    second = client.post(HOUSEHOLDS, json=HouseholdFactory(id_number=number.translate(FULL_WIDTH)),
                         headers=officer)
    assert (second.status_code, second.get_json()["code"]) == (409, "duplicate_household")
    assert session.execute(text("SELECT count(*) FROM households")).scalar() == 1


def test_a_full_width_id_number_alone_is_stored_in_ascii(client, officer):
    number = id_number()
    created = client.post(HOUSEHOLDS, json=HouseholdFactory(id_number=number.translate(FULL_WIDTH),
                                                            phone="１３８００００１２３４"),
                          headers=officer)
    assert created.status_code == 201, created.get_json()
    reveal = client.post(f"{HOUSEHOLDS}/{created.get_json()['id']}/reveal", headers=officer,
                         json={"reason": "home visit to sign the contract"}).get_json()
    assert (reveal["id_number"], reveal["phone"]) == (number, "13800001234")


def test_other_digits_in_id_numbers_and_phones_are_refused(client, officer):
    for field, value in (("id_number", id_number().translate(ARABIC_INDIC)),
                         ("phone", "١٣٨٠٠٠٠١٢٣٤"), ("id_number", "\u0664" + id_number()[1:])):
        response = client.post(HOUSEHOLDS, json=HouseholdFactory(**{field: value}), headers=officer)
        assert response.status_code == 422, (field, value)
        assert field in response.get_json()["errors"]["json"]


def test_a_reveal_reason_must_say_something(client, officer, session):
    hid = household(client, officer)
    for reason in ("    ", "\t\t\t\t\t\t\t\t", "12345678", "........", "ab"):
        response = client.post(f"{HOUSEHOLDS}/{hid}/reveal", json={"reason": reason},
                               headers=officer)
        assert response.status_code == 422, reason
    assert session.execute(text("SELECT count(*) FROM audit_events WHERE action = "
                                "'household.reveal'")).scalar() == 0
    ok = client.post(f"{HOUSEHOLDS}/{hid}/reveal", json={"reason": "签订合同前核对身份"},
                     headers=officer)
    assert ok.status_code == 200


def test_personal_numbers_in_notes_are_masked_before_they_are_stored(client, officer, session):
    hid = household(client, officer)
    note = ("户主身份证 449900198005170013，手机 138-0000-1234，妻子 +86 13900001111，"
            "儿子 ４４９９００２０１２０９０１００１Ｘ；借款 20000.00 元")
    response = client.post(f"{HOUSEHOLDS}/{hid}/monitoring-events", headers=officer,
                           json={"kind": "serious_illness", "occurred_on": "2026-01-02",
                                 "note": note})
    assert response.status_code == 201, response.get_json()
    stored = session.execute(text("SELECT note FROM monitoring_events")).scalar()
    assert stored == ("户主身份证 449900********0013，手机 138****1234，妻子 +86 139****1111，"
                      "儿子 ４４９９００********００１Ｘ；借款 20000.00 元")
    assert response.get_json()["note"] == stored
