"""A file the browser saves: the one way the API and the pages answer with a download."""

import io

from flask import Response, send_file


def attachment(body: bytes, content_type: str, filename: str) -> Response:
    """BODY as a file named FILENAME (Content-Disposition: attachment, encoded per RFC 6266)."""
    return send_file(io.BytesIO(body), mimetype=content_type, as_attachment=True,
                     download_name=filename)
