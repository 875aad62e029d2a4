"""The English switch: the catalogue is compiled, complete for every page text, placeholder-safe."""

import re
import subprocess
import sys
from pathlib import Path

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from tests.pages.people import csrf_of, sign_in

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "creditsvc/translations/en/LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\([a-z_0-9]+\)s|%%")


def read(path: Path, reader=read_po):
    with path.open("rb") as fh:
        return list(reader(fh))


def test_english_switch_translates_the_page_and_its_errors(client, people):
    token = csrf_of(client.get("/login"))
    client.post("/language", data={"lang": "en", "next": "/login", "csrf_token": token})
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in page and ">Username" in page and ">Password" in page
    wrong = sign_in(client, people["officer"], "not-the-password-1").get_data(as_text=True)
    assert "Incorrect username or password, or the account is locked for a while." in wrong


def test_every_page_text_has_its_english_and_the_same_placeholders(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F",
                    "babel.cfg", "-k", "_l", "-o", str(pot), "."], cwd=ROOT, check=True,
                   capture_output=True)
    wanted = {m.id for m in read(pot) if m.id}
    catalogue = {m.id: m.string for m in read(CATALOGUE / "messages.po") if m.id}
    missing = sorted(wanted - {k for k, v in catalogue.items() if v})
    assert missing == [], f"run `make translations` and translate: {missing[:10]}"
    for source, english in catalogue.items():
        assert sorted(PLACEHOLDER.findall(source)) == sorted(PLACEHOLDER.findall(english)), source


def test_the_compiled_catalogue_is_the_current_one():
    compiled = {m.id: m.string for m in read(CATALOGUE / "messages.mo", read_mo) if m.id}
    written = {m.id: m.string for m in read(CATALOGUE / "messages.po") if m.id and m.string}
    assert compiled == written, "run `make translations` to compile the catalogue"
