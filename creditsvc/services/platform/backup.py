"""Backups that restore: a consistent copy of the database with a manifest to check it by.

A copy is one file, taken while the service runs: on PostgreSQL `pg_dump` in its custom
format, inside a REPEATABLE READ transaction whose snapshot the dump shares
(`pg_export_snapshot`); on SQLite the online backup API. The manifest is read from that same
state: the schema revision, each table's row count, the audit chain's head, and the file's
SHA-256 and size. `verify` checks a copy against its manifest; `restore` loads it into an
empty database (a non-empty one only when told) and checks the counts afterwards.

The personal-data key is not in the copy and must not be kept beside it: without the key the
names, ID numbers and phones in a copy cannot be read, which is the point (docs/operations.md).
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import asdict, dataclass, field
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, inspect, text
from sqlalchemy.engine import URL

from models.base import utcnow

MANIFEST = "manifest.json"
FILES = {"sqlite": "creditsvc.sqlite3", "postgresql": "creditsvc.dump"}
FORMAT = 1


class BackupError(Exception):
    """A copy that cannot be made, checked or restored; the message says why."""


@dataclass
class Manifest:
    """What a copy holds, read from the copied state itself."""

    engine: str
    revision: str | None
    tables: dict[str, int]
    audit_head: dict | None
    created_at: str = field(default_factory=lambda: utcnow().isoformat())
    files: dict[str, dict] = field(default_factory=dict)
    format: int = FORMAT

    def write(self, folder: Path) -> None:
        (folder / MANIFEST).write_text(json.dumps(asdict(self), indent=2, ensure_ascii=False) + "\n")

    @classmethod
    def read(cls, folder: Path) -> "Manifest":
        try:
            data = json.loads((folder / MANIFEST).read_text())
            manifest = cls(**data)
        except FileNotFoundError:
            raise BackupError(f"{folder} has no {MANIFEST}: not a creditsvc backup") from None
        except (ValueError, TypeError) as exc:
            raise BackupError(f"{folder / MANIFEST} cannot be read: {exc}") from None
        if manifest.format != FORMAT or manifest.engine not in FILES:
            raise BackupError(f"{folder / MANIFEST}: format {manifest.format} of engine "
                              f"{manifest.engine!r} is not one this version restores")
        return manifest


def create(engine: Engine, folder: Path) -> Manifest:
    """Copy ENGINE's database into FOLDER (new or empty) with its manifest."""
    folder.mkdir(parents=True, exist_ok=True)
    if any(folder.iterdir()):
        raise BackupError(f"{folder} is not empty: each copy goes into a folder of its own")
    name = FILES[_kind(engine)]
    if _kind(engine) == "sqlite":
        _sqlite_copy(_sqlite_path(engine), folder / name)
        copy = create_engine(f"sqlite:///{folder / name}")
        try:
            with copy.connect() as conn:
                manifest = _manifest_of(conn, "sqlite")
        finally:
            copy.dispose()
    else:
        manifest = _pg_dump(engine, folder / name)
    manifest.files = {name: _file_facts(folder / name)}
    manifest.write(folder)
    return manifest


def verify(folder: Path) -> Manifest:
    """Check the copy in FOLDER against its manifest; raise BackupError naming what differs."""
    manifest = Manifest.read(folder)
    for name, facts in manifest.files.items():
        path = folder / name
        if not path.is_file():
            raise BackupError(f"{name} is missing from {folder}")
        if _file_facts(path) != facts:
            raise BackupError(f"{name} is not the file the manifest describes (size or SHA-256)")
    path = folder / FILES[manifest.engine]
    if manifest.engine == "sqlite":
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
            if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError(f"{path.name} fails SQLite's integrity check")
    else:
        _run(["pg_restore", "--list", str(path)], "pg_restore cannot read the dump")
    return manifest


def restore(engine: Engine, folder: Path, *, force: bool = False) -> Manifest:
    """Load the copy in FOLDER into ENGINE's database and check its row counts.

    Refuses a database that has tables unless FORCE (they are then replaced).
    """
    manifest = verify(folder)
    if manifest.engine != _kind(engine):
        raise BackupError(f"a {manifest.engine} copy cannot be restored into {_kind(engine)}")
    existing = inspect(engine).get_table_names()
    if existing and not force:
        raise BackupError(f"the database already has {len(existing)} tables: restore into an "
                          "empty one, or pass --force to replace them")
    path = folder / FILES[manifest.engine]
    engine.dispose()
    if manifest.engine == "sqlite":
        _sqlite_copy(path, _sqlite_path(engine))
    else:
        _pg_restore(engine, path, clean=bool(existing))
    with engine.connect() as conn:
        restored = _manifest_of(conn, manifest.engine)
    if restored.tables != manifest.tables or restored.revision != manifest.revision:
        differ = sorted(t for t in manifest.tables.keys() | restored.tables.keys()
                        if manifest.tables.get(t) != restored.tables.get(t))
        raise BackupError(f"restored counts differ from the manifest's: {', '.join(differ)}")
    return manifest


def _kind(engine: Engine) -> str:
    name = engine.dialect.name
    if name not in FILES:
        raise BackupError(f"no backup for a {name} database")
    return name


def _sqlite_path(engine: Engine) -> Path:
    database = engine.url.database
    if database in (None, "", ":memory:"):
        raise BackupError("an in-memory SQLite database has nothing to copy")
    return Path(database)


def _sqlite_copy(source: Path, target: Path) -> None:
    """SQLite's online backup: a consistent copy while writers go on (pages re-copied).

    The copy keeps a rollback journal, so that it is one self-contained file (a WAL-mode
    copy would grow -wal and -shm files beside it when read); the service's own connections
    put a restored database back into WAL mode.
    """
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode = DELETE")
    finally:
        dst.close()
        src.close()


def _manifest_of(conn: Connection, kind: str) -> Manifest:
    tables = sorted(inspect(conn).get_table_names())
    counts = {t: conn.execute(text(f'SELECT count(*) FROM "{t}"')).scalar_one() for t in tables}
    revision = (conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
                if "alembic_version" in tables else None)
    head = (conn.execute(text("SELECT last_seq, last_hash FROM audit_head")).first()
            if "audit_head" in tables else None)
    return Manifest(engine=kind, revision=revision, tables=counts,
                    audit_head={"seq": head[0], "hash": head[1]} if head else None)


def _file_facts(path: Path) -> dict:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return {"sha256": digest.hexdigest(), "bytes": path.stat().st_size}


def _libpq(engine: Engine) -> tuple[str, dict]:
    """The database as a libpq URI without its password, and an environment holding it."""
    url: URL = engine.url
    env = {**os.environ}
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _pg_dump(engine: Engine, target: Path) -> Manifest:
    """pg_dump on the snapshot the manifest is read in: counts and dump agree row for row."""
    uri, env = _libpq(engine)
    with engine.connect() as conn:
        conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            snapshot = conn.execute(text("SELECT pg_export_snapshot()")).scalar_one()
            manifest = _manifest_of(conn, "postgresql")
            _run(["pg_dump", "--format=custom", "--no-owner", f"--snapshot={snapshot}",
                  "--file", str(target), uri], "pg_dump failed", env=env)
    return manifest


def _pg_restore(engine: Engine, dump: Path, *, clean: bool) -> None:
    """pg_restore in one transaction: a restore that fails leaves the database as it was."""
    uri, env = _libpq(engine)
    _run(["pg_restore", "--no-owner", "--exit-on-error", "--single-transaction",
          *(["--clean", "--if-exists"] if clean else []), "--dbname", uri, str(dump)],
         "pg_restore failed", env=env)


def _run(argv: list[str], failure: str, env: dict | None = None) -> None:
    if shutil.which(argv[0]) is None:
        raise BackupError(f"{argv[0]} is not installed (Debian: postgresql-client)")
    done = subprocess.run(argv, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        raise BackupError(f"{failure}: {done.stderr.strip()[-500:]}")
