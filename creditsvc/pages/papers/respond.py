"""A paper as a response: numbered and audited in one transaction, rendered, sent as a PDF.

Any page prints a paper with `print_paper(kind, figures, target_type=..., target_id=...)`:
figures built by a service (what the paper prints), the kind's template, and this call.
"""

from pathlib import Path
from urllib.parse import quote

from flask import Response, current_app, render_template
from flask_babel import gettext as _

from creditsvc.infra import clock
from creditsvc.infra.extensions import db
from creditsvc.pages.access import actor
from creditsvc.services.papers.render import PaperKind, renderer, stamp
from creditsvc.services.platform.uow import UnitOfWork


def print_paper(kind: PaperKind, figures: dict, *, target_type: str, target_id: str,
                revealed: bool = False) -> Response:
    """The PDF of KIND with FIGURES, as a download named in Chinese (标题-编号.pdf).

    The number is taken and the printing audited before rendering, and committed at once:
    the counter's row is not held while the PDF is made (a long list takes seconds).
    """
    with UnitOfWork(db.session) as uow:
        stamped = stamp(uow.session, actor(), kind, figures, today=clock.today(),
                        target_type=target_type, target_id=target_id, revealed=revealed)
        uow.commit()
    # The footer's words around the CSS page counters (a CSS string, not HTML: no escaping).
    counter = _("第 %(n)s 页 / 共 %(m)s 页", n='" counter(page) "', m='" counter(pages) "')
    html = render_template(kind.template, doc=figures, paper=stamped, kind=kind,
                           revealed=revealed, page_counter=counter)
    pdf = renderer(Path(current_app.static_folder)).pdf(html)
    name = f"{kind.title}-{stamped.number}.pdf"
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"{stamped.number}.pdf\"; filename*=UTF-8''{quote(name)}")
    response.headers["X-Paper-Number"] = stamped.number
    response.headers["X-Paper-SHA256"] = stamped.sha256
    return response
