"""A PostgreSQL server of the test's own (initdb into a temporary folder, another port).

Fault tests stop and restart it; the machine's shared server is never touched. initdb refuses
to run as root, so the server runs as the `postgres` user when the tests run as root.
"""

import os
import shutil
import socket
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest

BIN = Path("/usr/lib/postgresql")


def _bin(name: str) -> str:
    found = sorted(BIN.glob(f"*/bin/{name}"))
    if not found:
        if os.environ.get("CI"):
            pytest.fail(f"{name} not found under {BIN}: CI must run the PostgreSQL fault tests")
        pytest.skip(f"PostgreSQL's {name} is not installed")
    return str(found[-1])


def _as_postgres(argv: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class OwnPostgres:
    """initdb'd data in FOLDER, served on PORT; start, stop and restart at will."""

    def __init__(self, folder: Path):
        self.folder, self.port = folder, _free_port()
        self.data = folder / "data"

    def run(self, *argv: str) -> None:
        subprocess.run(_as_postgres(list(argv)), check=True, capture_output=True, timeout=120)

    def pg_ctl(self, *argv: str) -> None:
        self.run(_bin("pg_ctl"), "-D", str(self.data), "-w", "-t", "60", *argv)

    def start(self) -> None:
        self.pg_ctl("-l", str(self.folder / "server.log"), "-o",
                    f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1", "start")

    def stop(self) -> None:
        self.pg_ctl("-m", "fast", "stop")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"


@contextmanager
def own_postgres():
    """A new PostgreSQL cluster, started; stopped and removed afterwards.

    Its folder is made in /tmp (pytest's own folders are private to root, and the server
    runs as `postgres`).
    """
    folder = Path(tempfile.mkdtemp(prefix="creditsvc-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    server = OwnPostgres(folder)
    server.run(_bin("initdb"), "-D", str(server.data), "-A", "trust", "-U", "postgres",
               "--no-sync", "-E", "UTF8")
    server.start()
    try:
        yield server
    finally:
        try:
            server.stop()
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(folder, ignore_errors=True)
