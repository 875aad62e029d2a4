"""The papers' renderer without a request: the grid of a long list, the fetcher that reads no
network, and the PDF's fonts."""

from pathlib import Path

from creditsvc.services.papers.grid import LARGEST_PT, grid, width
from creditsvc.services.papers.render import static_path

STATIC = (Path(__file__).resolve().parents[2] / "creditsvc" / "static").resolve()


def test_a_wide_character_counts_two_latin_widths():
    assert width("陈*") == 3 and width("440524********0014") == 18 and width("¥30,000.00") == 10


def test_the_grid_pads_each_column_to_its_widest_value_and_aligns_it():
    g = grid(["序号", "户主"], [["1", "陈*"], ["10", "欧阳**"]], right=(0,))
    first = width(g.header.split("户主")[0]) - 1  # the first column's width
    assert g.lines[0].index("陈") == g.lines[1].index("欧") == first + 1
    assert [width(line) for line in g.lines] == [width(g.header)] * 2
    assert g.lines[1][:first] == " " * (first - 3) + "10 " and g.lines[0][:first].endswith(" 1 ")
    assert g.size_pt == LARGEST_PT and "linear-gradient(to right" in g.rules


def test_columns_wider_than_the_page_make_the_font_smaller():
    long = "阿" + "*" * 29
    g = grid(["户主", "身份证号", "村"], [[long, "440524********0014", "东湖村" * 10]])
    assert g.size_pt < LARGEST_PT
    assert (width(g.header) + 1) * g.size_pt * 0.5 <= 178 / 25.4 * 72 + 0.5


def test_the_fetcher_serves_only_the_static_folder():
    assert static_path(STATIC, (STATIC / "css" / "paper.css").as_uri()) == STATIC / "css" / "paper.css"
    for url in ("https://example.com/logo.png", "http://127.0.0.1:8000/static/css/paper.css",
                "file:///etc/passwd", (STATIC / "css" / ".." / ".." / "app.py").as_uri(),
                (STATIC / "css" / "missing.css").as_uri(), "data:image/png;base64,AAAA",
                "file://example.com" + str(STATIC / "css" / "paper.css")):
        assert static_path(STATIC, url) is None, url


def test_a_paper_naming_another_server_renders_without_a_connection(monkeypatch):
    import logging
    import socket

    from creditsvc.services.papers.render import Renderer

    logging.getLogger("fontTools").setLevel(logging.WARNING)
    tried = []

    def refuse(*args, **kwargs):
        tried.append(args)
        raise OSError("no network for papers")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    html = ('<html><head><link rel="stylesheet" href="http://127.0.0.1:9/x.css"></head><body>'
            '<h1>授信通知书</h1><img src="http://127.0.0.1:9/logo.png">'
            '<img src="css/paper.css"></body></html>')
    pdf = Renderer(STATIC).pdf(html)
    assert pdf.startswith(b"%PDF-") and tried == []
