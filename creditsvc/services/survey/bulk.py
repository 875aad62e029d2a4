"""Bulk inserts for the survey import: COPY on PostgreSQL, the driver's executemany on SQLite.

Measured (bench/bench_survey_import.py): SQLAlchemy's executemany costs more per row in
building and processing parameters than the database spends inserting it, and on
PostgreSQL it sends one statement per row. Here each table's columns are named once, every
value goes through its column type's own bind processor (the same conversion SQLAlchemy
makes: a UTC timestamp stored naive, JSON as text), and the rows go to the database as
one COPY (PostgreSQL) or one executemany of positional rows (SQLite).
"""

from sqlalchemy import Table
from sqlalchemy.orm import Session


def insert_rows(session: Session, table: Table, rows: list[dict]) -> None:
    """Insert ROWS (dicts with the same keys, in the order of the first) into TABLE."""
    if not rows:
        return
    names = list(rows[0])
    conn = session.connection()
    dialect = conn.dialect
    processors = [table.c[name].type._cached_bind_processor(dialect) for name in names]
    active = [(i, p) for i, p in enumerate(processors) if p is not None]

    def values(row: dict) -> list:
        out = [row[name] for name in names]
        for i, process in active:
            out[i] = process(out[i])
        return out

    raw = conn.connection.driver_connection
    columns = ", ".join(names)
    if dialect.name == "postgresql":
        with raw.cursor() as cur, cur.copy(f"COPY {table.name} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(values(row))
    else:
        marks = ", ".join("?" * len(names))
        raw.executemany(f"INSERT INTO {table.name} ({columns}) VALUES ({marks})",
                        [values(row) for row in rows])
