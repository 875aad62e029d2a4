"""Benchmark rating a campaign of 100,000 surveyed households, beside the compiled scorer.

A migrated database (SQLite by default, PostgreSQL with --db postgresql) holds N households,
each with three members and a survey (willing, an intended amount, purpose and term), their
incomes, assets and debts spread so that every grade and decision occurs; one in ten has a
loan. In the same run it measures:

- the baseline: the compiled scorer (`Scorecard.score_batch`) over the same households'
  features, already laid out as numpy columns, plus a bulk load of the results (household,
  score, PD) into an unindexed table (`executemany` on SQLite, `COPY` on PostgreSQL);
- the rating: `rating.rate_households` in one unit of work, as a campaign job runs it: read
  the surveys and files set-based, build each household's input, decide each with the
  application's rules and the champion scorecard (scored a chunk at a time by score_batch),
  write each rating with its record (input and rule outcomes, not the rendered explanation),
  audit, commit.

Prints households/s of each and the rating's share of the baseline (goal: at least 20%).

Then two floors, in the same run, of what any rating that reads its households into this
process and stores each one's record must do at the least: the reads alone (the rating's own
statements over the same chunks, rows fetched and dropped) and the write alone (the rows the
rating stored, copied back into an unindexed table of the same columns by the same driver
path). The baseline's time over theirs is the most any such rating could reach. And the
same rows copied inside the database (INSERT ... SELECT from the ratings just written): the
least any rating that keeps its record for replay must spend, even one computed wholly in
SQL; and each household's record assembled by the database's JSON functions from the five
tables and stored, what such a rating would do before deriving a single feature.

Run: .venv/bin/python bench/bench_rating.py [--households 100000] [--db sqlite|postgresql]
"""

import argparse
import os
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from sqlalchemy import func, insert, select, text  # noqa: E402

from creditsvc import create_app  # noqa: E402
from creditsvc.core.principal import Principal  # noqa: E402
from creditsvc.infra.extensions import db  # noqa: E402
from creditsvc.services.assessment import rating, rating_rows, views  # noqa: E402
from creditsvc.services.assessment.inputs import build_input  # noqa: E402
from creditsvc.services.assessment.views import scoring_views  # noqa: E402
from creditsvc.services.programme import policy as programme  # noqa: E402
from models import Application, Household, HouseholdMember, HouseholdSurvey, Loan, Rating, User  # noqa: E402
from scoring.features import derive_features  # noqa: E402
from tests import dbs  # noqa: E402
from tests.books import fund_with  # noqa: E402
from tests.conftest import make_config  # noqa: E402
from tests.factories import LoanFactory  # noqa: E402
from tests.work import done  # noqa: E402

ON = date(2026, 11, 2)
STATUSES = ("registered_poor", "lifted", "monitored_edge")
PURPOSES = ("planting", "husbandry", "processing", "small_business")


def _household(i: int) -> dict:
    return {"id": str(uuid.UUID(int=i + 1)), "town": "渔湖镇", "village": f"村{i % 23:02d}",
            "head_name_enc": "x", "head_name_masked": "陈*", "id_number_enc": "x",
            "id_number_hash": f"{i:064d}", "id_number_masked": "449901********0014",
            "head_birth_date": date(1950 + i % 40, 1 + i % 12, 1 + i % 28),
            "head_labour_capable": i % 9 != 0, "status": STATUSES[i % 3],
            "lifted_year": 2020 if i % 3 == 1 else None,
            "per_capita_income_fen": 150_000 + (i * 7919) % 1_500_000,
            "income_sources": [("planting", "husbandry", "processing")[i % 3], "wages"][: 1 + i % 2],
            "productive_assets_fen": (i * 104_729) % 5_000_000,
            "outside_debt_fen": 0 if i % 4 else (i * 13) % 3_000_000,
            "food_secure": True, "clothing_secure": True, "education_secure": i % 7 != 0,
            "medical_secure": True, "housing_secure": i % 11 != 0, "skills_training": i % 2 == 0,
            "cooperative_member": i % 5 == 0, "bad_credit_flag": i % 97 == 0}


def _members(hid: str, i: int) -> list[dict]:
    return [{"id": str(uuid.uuid4()), "household_id": hid, "position": p, "relation": rel,
             "birth_date": born, "labour_capable": able, "chronic_illness": ill,
             "disability": False, "in_school": school}
            for p, (rel, born, able, ill, school) in enumerate((
                ("head", date(1950 + i % 40, 1 + i % 12, 1 + i % 28), i % 9 != 0, False, False),
                ("spouse", date(1955 + i % 35, 3, 1), i % 6 != 0, i % 13 == 0, False),
                ("child", date(2008 + i % 12, 9, 1), False, False, True)))]


def _survey(hid: str, i: int) -> dict:
    return {"id": str(uuid.uuid4()), "household_id": hid, "willing": True,
            "intended_amount_fen": 500_000 + (i % 10) * 500_000, "purpose": PURPOSES[i % 4],
            "term_months": (12, 24, 36)[i % 3]}


def seed(session, n: int) -> list[str]:
    """N households with members and surveys (bulk inserts); one in ten with a loan."""
    fund_with(session, 10_000_000_000_000)
    loan = LoanFactory(principal_fen=1_000_000)
    ids = []
    for start in range(0, n, 10_000):
        hs = [_household(i) for i in range(start, min(n, start + 10_000))]
        session.execute(insert(Household.__table__), hs)
        session.execute(insert(HouseholdMember.__table__),
                        [m for k, h in enumerate(hs) for m in _members(h["id"], start + k)])
        session.execute(insert(HouseholdSurvey.__table__),
                        [_survey(h["id"], start + k) for k, h in enumerate(hs)])
        ids += [h["id"] for h in hs]
    app = session.execute(select(Application.__table__)
                          .where(Application.id == loan.application_id)).mappings().one()
    row = session.execute(select(Loan.__table__).where(Loan.id == loan.id)).mappings().one()
    borrowing = [(str(uuid.uuid4()), hid) for hid in ids[::10]]
    session.execute(insert(Application.__table__), [
        {**app, "id": aid, "household_id": hid, "number": f"SQ-2025-{k:07d}"}
        for k, (aid, hid) in enumerate(borrowing)])
    session.execute(insert(Loan.__table__), [
        {**row, "id": str(uuid.uuid4()), "application_id": aid, "household_id": hid,
         "number": f"PSBC-2025-{k:07d}"} for k, (aid, hid) in enumerate(borrowing)])
    session.commit()
    return ids


def baseline_columns(session, ids: list[str]) -> dict:
    """The same households' features as numpy columns (not timed: the scorer's input)."""
    views = scoring_views(session, ids)
    surveys = {s.household_id: s for s in session.execute(select(HouseholdSurvey)).scalars()}
    policy = programme.active_policy(session)
    rows = []
    for hid in ids:
        s = surveys[hid]
        inp = build_input(views[hid], amount=rating.from_fen(s.intended_amount_fen),
                          term_months=s.term_months, purpose=s.purpose, on=ON)
        rows.append(derive_features(inp, lookback_days=policy.shock_lookback_days))
    cols = {}
    for name in rows[0]:
        values = [r[name] for r in rows]
        if all(v is None or isinstance(v, float) for v in values):
            cols[name] = np.array([np.nan if v is None else v for v in values])
        else:
            cols[name] = np.array(["" if v is None else str(v) for v in values])
    return cols


def baseline(session, ids: list[str], cols: dict, postgres: bool) -> tuple[float, float]:
    """Seconds (wall, this process's CPU) for score_batch over COLS plus a bulk load of
    (household, score, pd)."""
    card = programme.champion_scorecard(session)
    session.execute(text("CREATE TABLE bench_scores (household_id varchar(36), score float, pd float)"))
    session.commit()
    started, cpu = time.perf_counter(), time.process_time()
    scores, pds = card.score_batch(cols)
    rows = list(zip(ids, scores.tolist(), pds.tolist(), strict=True))
    if postgres:
        raw = session.connection().connection.driver_connection
        with raw.cursor() as cur, cur.copy("COPY bench_scores FROM STDIN") as copy:
            for r in rows:
                copy.write_row(r)
    else:
        session.connection().exec_driver_sql(
            "INSERT INTO bench_scores VALUES (?, ?, ?)", rows)
    session.commit()
    secs, cpu = time.perf_counter() - started, time.process_time() - cpu
    session.execute(text("DROP TABLE bench_scores"))
    session.commit()
    return secs, cpu


def read_floor(session, ids: list[str]) -> float:
    """Seconds to run the rating's reads (files, members, events, loans, surveys) over IDS a
    chunk at a time through the bare driver cursor and fetch every row, building nothing from
    them (the statements are compiled first, untimed)."""
    conn = session.connection()
    dialect = conn.dialect
    statements = (views._FILES, views._MEMBERS, views._EVENTS, views._LOAN_ROWS,
                  select(HouseholdSurvey).where(HouseholdSurvey.household_id.in_(views._IDS)))
    compiled = []
    for start in range(0, len(ids), views.CHUNK):
        for statement in statements:
            c = statement.params(ids=ids[start:start + views.CHUNK]).compile(
                dialect=dialect, compile_kwargs={"render_postcompile": True})
            params = c.params if c.positiontup is None else [c.params[k] for k in c.positiontup]
            compiled.append((c.string, params))
    cursor = conn.connection.driver_connection.cursor()
    started = time.perf_counter()
    for sql, params in compiled:
        cursor.execute(sql, params)
        cursor.fetchall()
    secs = time.perf_counter() - started
    cursor.close()
    session.rollback()
    return secs


def write_floor(session, postgres: bool) -> tuple[float, float]:
    """Seconds to load the ratings just stored (read back first, not timed) into an unindexed
    table of the same columns, a chunk per statement as the rating writes them; and seconds to
    copy them there inside the database (INSERT ... SELECT: no row crosses to this process)."""
    names = ", ".join(rating_rows.COLUMNS)
    conn = session.connection()
    # The record as the rating sent it: text (psycopg reads a jsonb column back as a dict).
    read_back = ", ".join("assessment::text" if postgres and n == "assessment" else n
                          for n in rating_rows.COLUMNS)
    rows = conn.exec_driver_sql(f"SELECT {read_back} FROM ratings").fetchall()
    conn.exec_driver_sql(f"CREATE TABLE bench_ratings AS SELECT {names} FROM ratings WHERE 1 = 0")
    session.commit()
    rows = [tuple(r) for r in rows]
    started = time.perf_counter()
    for start in range(0, len(rows), views.CHUNK):
        rating_rows.load(session, "bench_ratings", rows[start:start + views.CHUNK])
    session.commit()
    secs = time.perf_counter() - started
    session.execute(text("DELETE FROM bench_ratings"))
    session.commit()
    started = time.perf_counter()
    session.connection().exec_driver_sql(
        f"INSERT INTO bench_ratings ({names}) SELECT {names} FROM ratings")
    session.commit()
    inside = time.perf_counter() - started
    session.execute(text("DROP TABLE bench_ratings"))
    session.commit()
    return secs, inside


def record_floor(session, postgres: bool) -> float:
    """Seconds to assemble each household's record inside the database (its file, members,
    events, loans and survey as one JSON document, by the database's own JSON functions) and
    store it in an unindexed table: what a rating computed wholly in SQL would do before any
    feature, rule or score."""
    obj, agg = ("json_build_object", "json_agg") if postgres else ("json_object", "json_group_array")

    def doc(alias: str, names) -> str:
        return f"{obj}(" + ", ".join(f"'{n}', {alias}.{n}" for n in names) + ")"

    def many(table: str, alias: str, names) -> str:
        return (f"(SELECT {agg}({doc(alias, names)}) FROM {table} {alias} "
                f"WHERE {alias}.household_id = h.id)")

    files = [c.name for c in views._FILE_COLUMNS]
    members = [c.name for c in views._MEMBERS.selected_columns]
    loans = ("status", "principal_fen", "outstanding_principal_fen",
             "accrued_interest_unpaid_fen", "days_past_due", "disbursed_on")
    record = (f"{obj}('household', {doc('h', files)}, "
              f"'members', {many('household_members', 'm', members)}, "
              f"'events', {many('monitoring_events', 'e', ('kind', 'occurred_on'))}, "
              f"'loans', {many('loans', 'l', loans)}, "
              f"'request', {doc('s', ('intended_amount_fen', 'term_months', 'purpose'))})")
    conn = session.connection()
    conn.exec_driver_sql("CREATE TABLE bench_records (household_id varchar(36), record text)")
    session.commit()
    started = time.perf_counter()
    session.connection().exec_driver_sql(
        f"INSERT INTO bench_records SELECT h.id, CAST({record} AS text) FROM households h "
        f"JOIN household_surveys s ON s.household_id = h.id")
    session.commit()
    secs = time.perf_counter() - started
    session.execute(text("DROP TABLE bench_records"))
    session.commit()
    return secs


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    args = parser.parse_args()
    postgres = args.db == "postgresql"
    with tempfile.TemporaryDirectory() as tmp:
        if postgres:
            name = dbs.new_pg_database()
            url = dbs.pg_url(name)
        else:
            url = f"sqlite:///{os.path.join(tmp, 'bench.sqlite3')}"
        app = create_app(make_config(url))
        dbs.migrate_to_head(app)
        try:
            with app.app_context():
                run(db.session, args.households, postgres)
        finally:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
            if postgres:
                dbs.drop_pg_database(name)


def run(session, n: int, postgres: bool) -> None:
    t0 = time.perf_counter()
    ids = seed(session, n)
    officer = User(name="bench-officer", role="officer")
    session.add(officer)
    session.commit()
    actor = Principal(officer.id, officer.name, "officer")
    cols = baseline_columns(session, ids)
    print(f"{n:,} households seeded and their features laid out in {time.perf_counter() - t0:.1f} s; "
          f"load average {os.getloadavg()[0]:.2f}")
    base, base_cpu = baseline(session, ids, cols, postgres)
    started, cpu = time.perf_counter(), time.process_time()
    if os.environ.get("BENCH_PROFILE"):
        import cProfile
        prof = cProfile.Profile()
        prof.enable()
    batch = done(session, rating.rate_households, ids, actor=actor, on=ON, campaign_id=None)
    secs, cpu = time.perf_counter() - started, time.process_time() - cpu
    if os.environ.get("BENCH_PROFILE"):
        prof.disable()
        prof.dump_stats(os.environ["BENCH_PROFILE"])
    stored = session.execute(select(func.count()).select_from(Rating)).scalar_one()
    assert stored == len(batch.rated) == n, (stored, len(batch.rated), batch.refused)
    print(f"baseline (score_batch + bulk load): {base:.2f} s = {n / base:,.0f} households/s "
          f"(CPU {base_cpu:.2f} s)")
    print(f"rating (rate_households, committed): {secs:.2f} s = {n / secs:,.0f} households/s "
          f"(CPU {cpu:.2f} s = {cpu / n * 1e6:.0f} us a household); "
          f"decisions {dict(batch.decisions)}, grades {dict(batch.grades)}")
    print(f"rating / baseline throughput: {base / secs:.1%} (goal 20%); by this process's CPU "
          f"{base_cpu / cpu:.1%}; load average {os.getloadavg()[0]:.2f}")
    reads, (writes, inside) = read_floor(session, ids), write_floor(session, postgres)
    print(f"floors: the rating's reads alone {reads:.2f} s, its rows' write alone {writes:.2f} s; "
          f"the most a rating that reads and stores them could reach: {base / (reads + writes):.1%} "
          f"of the baseline (reads alone {base / reads:.1%}). Storing the same rows by a copy "
          f"inside the database {inside:.2f} s: the most any rating that stores its record "
          f"could reach, computed wholly in SQL: {base / inside:.1%}")
    assembled = record_floor(session, postgres)
    print(f"the records assembled from the five tables and stored inside the database "
          f"{assembled:.2f} s: the most a rating computed wholly in SQL could reach before "
          f"deriving a feature: {base / assembled:.1%}")


if __name__ == "__main__":
    main()
