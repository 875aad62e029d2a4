"""The kinds of job a worker can run, and what a running job is handed."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import Session

from creditsvc.core.principal import Principal
from creditsvc.services.platform import jobs as job_files


@dataclass
class Progress:
    """How far a running job got; the heartbeat thread writes it to the job's row."""

    done: int = 0
    total: int | None = None
    message: str | None = None

    def __call__(self, done: int, total: int | None, message: str | None = None) -> None:
        self.done, self.total, self.message = done, total, message


@dataclass
class JobContext:
    """A running job: its id and JSON args, who owns it, its session and its progress."""

    job_id: str
    args: dict
    actor: Principal
    session: Session
    today: date  # the business date the job runs on (the worker's clock.today())
    progress: Progress = field(default_factory=Progress)

    def input_file(self) -> tuple[str, bytes]:
        """The job's uploaded file: (filename, bytes)."""
        found = job_files.file_of(self.session, self.job_id, "input")
        if found is None:
            raise LookupError(f"job {self.job_id} has no input file")
        return found[0].filename, found[1]

    def write_result(self, filename: str, content_type: str, data: bytes):
        """Keep the job's result file, in the job's own transaction."""
        return job_files.add_file(self.session, self.job_id, "result", filename, content_type,
                                  data)


@dataclass(frozen=True)
class Kind:
    """A kind of job: its name and the function that does the work in the job's unit of work.

    RUN writes through the context's session and never commits; it returns the job's
    result (JSON), and the worker commits the work, the result and the job's `done` together.
    """

    name: str
    run: Callable[[JobContext], dict]


KINDS: dict[str, Kind] = {}


def kind(name: str):
    """Register the decorated function as the job kind NAME."""

    def register(fn: Callable[[JobContext], dict]):
        KINDS[name] = Kind(name, fn)
        return fn

    return register
