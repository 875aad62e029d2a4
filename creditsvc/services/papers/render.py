"""A paper: an HTML template and its figures made into an A4 PDF (WeasyPrint, Noto CJK).

Every paper carries a number of its kind's series (TZ-2026-000123, the numbering service's
counters), the business date, and the SHA-256 of its figures (their canonical JSON), and its
printing is audited with both. The template prints its figures and nothing else of the data,
so the hash on the paper is the hash of what the paper says; the same figures hash the same.

To add a paper: a `PaperKind`, a service that builds its figures (plain JSON: decimal strings
in yuan, ISO dates), a template under `templates/papers/` extending `papers/base.html`; the
page calls `creditsvc.pages.papers.respond.print_paper`.

Rendering reads no network: the URL fetcher serves the app's own static files and refuses
everything else. One FontConfiguration and one parsed stylesheet serve every render of a
process (a new FontConfiguration per render costs time and keeps ~65 MB until collected).
"""

import hashlib
import json
import threading
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from sqlalchemy.orm import Session

from creditsvc.core.principal import Principal
from creditsvc.services.loans.numbers import next_number
from creditsvc.services.platform import audit

PAPER_CSS = "css/paper.css"


@dataclass(frozen=True)
class PaperKind:
    """One kind of paper: its code (in the audit trail), its number series and its template."""

    code: str
    series: str
    template: str
    title: str  # the Chinese title (the page translates it); also the file name's stem


@dataclass(frozen=True)
class Stamp:
    """What every paper carries: its number, its date and the hash of its figures."""

    number: str
    day: date
    sha256: str


def fingerprint(figures: dict) -> str:
    """The SHA-256 of FIGURES' canonical JSON (sorted keys, no spaces, UTF-8)."""
    text = json.dumps(figures, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def stamp(session: Session, actor: Principal, kind: PaperKind, figures: dict, *, today: date,
          target_type: str, target_id: str, revealed: bool = False) -> Stamp:
    """Number the paper (in the caller's transaction) and record its printing in the audit trail."""
    stamped = Stamp(next_number(session, kind.series, today.year), today, fingerprint(figures))
    audit.record(session, actor, "paper.print", target_type=target_type, target_id=target_id,
                 detail={"kind": kind.code, "number": stamped.number, "sha256": stamped.sha256,
                         "date": today.isoformat(), "revealed": revealed})
    return stamped


def static_path(static_root: Path, url: str) -> Path | None:
    """The file under STATIC_ROOT that URL names, or None: the only URLs a paper may load."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return None
    path = Path(url2pathname(parts.path)).resolve()
    if not path.is_relative_to(static_root) or not path.is_file():
        return None
    return path


def static_fetcher(static_root: Path):
    """A WeasyPrint URL fetcher that serves STATIC_ROOT's files and refuses every other URL."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse, URLFetchingError

    class StaticOnly(URLFetcher):
        def fetch(self, url, headers=None):
            path = static_path(static_root, url)
            if path is None:
                raise URLFetchingError(f"refused: papers load only the app's static files: {url}")
            return URLFetcherResponse(url, path.read_bytes())

    return StaticOnly(allowed_protocols=("file",))


class Renderer:
    """HTML to PDF with the paper stylesheet; built once per process and static folder."""

    def __init__(self, static_root: Path):
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        self.static_root = static_root.resolve()
        self.fetcher = static_fetcher(self.static_root)
        self.fonts = FontConfiguration()
        self.css = CSS(filename=str(self.static_root / PAPER_CSS), font_config=self.fonts,
                       url_fetcher=self.fetcher)
        self.lock = threading.Lock()

    def pdf(self, html: str) -> bytes:
        """The PDF of HTML (A4, fonts embedded as subsets); relative URLs name static files."""
        from weasyprint import HTML

        with self.lock:  # one FontConfiguration is not meant for two renders at once
            return HTML(string=html, base_url=self.static_root.as_uri() + "/",
                        url_fetcher=self.fetcher).write_pdf(
                stylesheets=[self.css], font_config=self.fonts)


_renderers: dict[Path, Renderer] = {}


def renderer(static_root: Path) -> Renderer:
    """The process's renderer for STATIC_ROOT (made on first use)."""
    key = static_root.resolve()
    if key not in _renderers:
        _renderers[key] = Renderer(key)
    return _renderers[key]
