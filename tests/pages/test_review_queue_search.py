"""待复核 searched and sorted: by number, village (any part), head of household; newest first."""

import re
from datetime import timedelta

from creditsvc.infra import clock
from creditsvc.infra.extensions import db
from models import Application
from tests.pages.cases import household, referred_application
from tests.pages.people import csrf_of

CASE = re.compile(r'href="/reviews/([0-9a-f-]{36})"')


def queue(response) -> list[str]:
    """The case ids the queue shows, in order."""
    assert response.status_code == 200, response.get_data(as_text=True)[:1500]
    return CASE.findall(response.get_data(as_text=True))


def referred_in(person, village: str, name: str = "陈建国") -> str:
    """A referred case of a household of VILLAGE whose head is NAME."""
    month_ago = (clock.today() - timedelta(days=30)).isoformat()
    hid, _ = household(village=village, head_name=name, monitoring_events=[
        {"kind": "serious_illness", "occurred_on": month_ago}])
    return referred_application(person, hid)


def searched(client, text: str = "", **fields):
    """The queue after the search box's post: the typed name never in the address."""
    token = csrf_of(client.get("/reviews"))
    response = client.post("/reviews/search", data={"q": text, "csrf_token": token, **fields})
    assert response.status_code == 303
    if text and not text.upper().startswith("SQ"):
        assert text not in response.headers["Location"]
    return client.get(response.headers["Location"])


def number_of(app_id: str) -> str:
    number = db.session.get(Application, app_id).number
    db.session.close()
    return number


def test_the_newest_case_comes_first_unless_asked(as_user, people):
    first = referred_in(people["officer"], "东湖村")
    second = referred_in(people["officer"], "东湖村")
    client = as_user("officer2")
    assert queue(client.get("/reviews")) == [second, first]
    assert queue(client.get("/reviews?sort=oldest")) == [first, second]
    assert queue(searched(client, sort="oldest")) == [first, second]
    assert client.get("/reviews?sort=sideways").status_code == 422


def test_search_by_number_village_part_and_head(as_user, people):
    west = referred_in(people["officer"], "西田村", "邱志明")
    lower = referred_in(people["officer"], "下西田村")
    east = referred_in(people["officer"], "东湖村")
    client = as_user("officer2")
    assert queue(searched(client, number_of(east))) == [east]
    assert queue(searched(client, number_of(east).lower())) == [east]
    assert queue(searched(client, village="西田")) == [lower, west]
    assert queue(searched(client, "邱志明")) == [west]
    assert queue(searched(client, "邱")) == [west]  # a name's beginning
    found = searched(client, "邱志明", village="东湖")
    assert queue(found) == [] and "没有符合条件的待复核申请" in found.get_data(as_text=True)
