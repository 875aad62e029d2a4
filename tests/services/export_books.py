"""A small book for the export and coming-due tests: two banks' loans in two officers' areas,
with instalments placed around the business date."""

from datetime import timedelta

from creditsvc.core.principal import Principal
from creditsvc.infra.extensions import db
from models import ScheduleItem
from tests.books import set_fund
from tests.factories import LoanFactory
from tests.pages.people import assign_area, make_person
from tests.today import TODAY


def item(loan, seq: int, days: int, *, principal: int = 0, interest: int = 7_500,
         paid: bool = False) -> None:
    """An instalment of LOAN due DAYS after TODAY (negative: before), paid in full or not."""
    db.session.add(ScheduleItem(loan_id=loan.id, seq=seq, due_on=TODAY + timedelta(days=days),
                                principal_fen=principal, interest_fen=interest,
                                paid_principal_fen=principal if paid else 0,
                                paid_interest_fen=interest if paid else 0))
    db.session.commit()


def export_book(session):
    """{name: loan} and {role: Principal}: officer Li has 渔湖镇/东湖村, Wang 登岗镇.

    - due30 (PSBC, Li): an instalment due in 30 days: coming due;
    - due31 (PSBC, Li): due in 31 days only: not coming due;
    - fallen (ABC, Li): an instalment 5 days past, unpaid: just fallen due;
    - paid (PSBC, Li): 5 days past, paid: neither;
    - old (PSBC, Li): 31 days past, unpaid: neither (past the window);
    - wang (PSBC, Wang): due in 10 days, in Wang's area only;
    - repaid (ABC, Li): due in 3 days but the loan is repaid: neither.
    """
    set_fund(session, 50_000_000)
    li, wang = make_person("officer-li"), make_person("officer-wang")
    assign_area(li, "渔湖镇/东湖村")
    assign_area(wang, "登岗镇")
    psbc = make_person("psbc-zhao", "bank", "PSBC")
    abc = make_person("abc-sun", "bank", "ABC")
    loans = {
        "due30": LoanFactory(principal_fen=2_000_000, rate_bp=345),
        "due31": LoanFactory(),
        "fallen": LoanFactory(bank_code="ABC", days_past_due=5),
        "paid": LoanFactory(),
        "old": LoanFactory(),
        "wang": LoanFactory(town="登岗镇", village="北溪村"),
        "repaid": LoanFactory(bank_code="ABC", status="repaid", outstanding_principal_fen=0),
    }
    item(loans["due30"], 1, 30, interest=17_250)
    item(loans["due30"], 2, 120, principal=2_000_000)
    item(loans["due31"], 1, 31)
    item(loans["fallen"], 1, -5, interest=9_000)
    item(loans["paid"], 1, -5, paid=True)
    item(loans["old"], 1, -31)
    item(loans["wang"], 1, 10)
    item(loans["repaid"], 1, 3)
    people = {"li": li, "wang": wang, "psbc": psbc, "abc": abc}
    actors = {k: Principal(p.user_id, p.name, p.role, p.bank) for k, p in people.items()}
    return loans, actors, people
