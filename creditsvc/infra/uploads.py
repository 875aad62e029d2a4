"""Reading an uploaded file, for the API and the pages alike: its name, its kind, its size."""

from creditsvc.core.errors import Invalid, TooLarge
from creditsvc.core.refusals import said, size


def read_upload(upload, extensions: tuple[str, ...], limit: int, *, default: str,
                code: str) -> tuple[str, bytes]:
    """The uploaded file's base name and bytes: one of EXTENSIONS, at most LIMIT bytes."""
    name = (upload.filename or default).rsplit("/", 1)[-1][:200]
    if not name.lower().endswith(extensions):
        kinds = " / ".join(e.lstrip(".").upper() for e in extensions)
        raise Invalid(code, errors={"file": [said("file_type", kinds=kinds)]})
    body = upload.read(limit + 1)
    if len(body) > limit:
        raise TooLarge(limit=size(limit))
    return name, body
