"""Reading a printed paper back: its text (pdftotext -layout), its fonts (pdffonts), its pages."""

import logging
import os
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote

import pytest
from sqlalchemy import select

from creditsvc.infra.extensions import db
from creditsvc.pages.formatting import day, yuan
from models import AuditEvent

NEEDS_POPPLER = pytest.mark.skipif(
    shutil.which("pdftotext") is None and not os.environ.get("CI"),
    reason="poppler-utils (pdftotext) is missing: tests/setup_papers.sh installs it")


@pytest.fixture(autouse=True)
def _quiet_fonts():
    """fontTools logs every glyph table it subsets at DEBUG (the suite captures DEBUG)."""
    for name in ("fontTools", "weasyprint"):
        logging.getLogger(name).setLevel(logging.WARNING)


def run(tool: str, data: bytes, *args: str) -> str:
    """A poppler tool's output on the PDF DATA (read from standard input)."""
    return subprocess.run([tool, *args, "-", "-"] if tool == "pdftotext" else [tool, *args, "-"],
                          input=data, capture_output=True, check=True).stdout.decode()


def text_of(data: bytes) -> str:
    """The PDF's text as laid out (pdftotext -layout)."""
    assert data.startswith(b"%PDF-"), data[:40]
    return run("pdftotext", data, "-layout")


def flat(text: str) -> str:
    """TEXT without any white space: pdftotext spaces CJK and digits its own way."""
    return re.sub(r"\s+", "", text)


def pages_of(data: bytes) -> list[str]:
    """The text of each page (pdftotext marks a page's end with a form feed)."""
    return [p for p in text_of(data).split("\f") if p.strip()]


def fonts_of(data: bytes) -> list[list[str]]:
    """pdffonts' rows: name, type, encoding, emb, sub, uni, object, generation."""
    import tempfile
    with tempfile.NamedTemporaryFile(suffix=".pdf", delete=False) as f:
        f.write(data)
    try:
        out = subprocess.run(["pdffonts", f.name], capture_output=True, check=True).stdout.decode()
    finally:
        os.unlink(f.name)
    return [line.split() for line in out.splitlines()[2:] if line.strip()]


def printed(response) -> tuple[str, str]:
    """A paper response's PDF text (flattened) and its Chinese file name."""
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/pdf"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    name = unquote(disposition.split("filename*=UTF-8''", 1)[1])
    fonts = fonts_of(response.get_data())
    assert fonts and all(row[-5] == "yes" for row in fonts), fonts  # every font embedded
    if os.environ.get("PAPER_DIR"):  # keep the PDFs to look at (pdftoppm -png -r 60)
        Path(os.environ["PAPER_DIR"], name).write_bytes(response.get_data())
    return flat(text_of(response.get_data())), name


def money(value: str | None) -> str:
    """An API amount as the paper prints it (¥12,345.00)."""
    return yuan(value)


def date_of(value: str) -> str:
    """An API date as the paper prints it (2026年1月5日)."""
    return day(value)


def print_events() -> list[AuditEvent]:
    """The paper.print events in the trail, oldest first."""
    db.session.close()
    return list(db.session.execute(select(AuditEvent).where(AuditEvent.action == "paper.print")
                                   .order_by(AuditEvent.seq)).scalars())
