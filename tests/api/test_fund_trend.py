"""GET /api/v1/fund/trend: the monthly snapshots as the fund office's charts read them."""


from creditsvc.core.principal import Principal
from creditsvc.services.fund import snapshots
from tests.books import fund_with
from tests.factories import LoanFactory
from tests.today import TODAY
from tests.work import done

MANAGER = Principal(user_id=None, name="fm", role="fund_manager")


def test_the_trend_equals_the_fund_and_its_exposure(client, keys, session):
    today = TODAY
    fund_with(session, 50_000_000, today)
    LoanFactory(principal_fen=1_000_000)
    LoanFactory(principal_fen=3_000_000, days_past_due=120)
    done(session, snapshots.take, MANAGER, snapshots.month_of(today), today=today)
    manager = keys.headers("fund_manager")
    got = client.get("/api/v1/fund/trend?months=12", headers=manager)
    assert got.status_code == 200, got.get_json()
    (point,) = got.get_json()
    fund = client.get("/api/v1/fund", headers=manager).get_json()
    exposure = client.get("/api/v1/fund/exposure", headers=manager).get_json()
    assert point["month"] == snapshots.month_of(today) and point["loans"] == 2
    assert (point["outstanding"], point["npl_outstanding"], point["balance"]) == (
        fund["guaranteed_outstanding"], fund["npl_outstanding"], fund["balance"])
    assert (point["par30"], point["par90"], point["npl_ratio"]) == (
        exposure["par30"], exposure["par90"], exposure["npl_ratio"]) == ("0.7500",) * 3
    assert client.get("/api/v1/fund/trend", headers=keys.headers("bank")).status_code == 403
    assert client.get("/api/v1/fund/trend?months=0", headers=manager).status_code == 422
