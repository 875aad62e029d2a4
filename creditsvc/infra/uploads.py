"""Reading an uploaded file, for the API and the pages alike: its name, its kind, its size."""

from creditsvc.core.errors import AppError, Invalid


def read_upload(upload, extensions: tuple[str, ...], limit: int, *, default: str,
                code: str) -> tuple[str, bytes]:
    """The uploaded file's base name and bytes: one of EXTENSIONS, at most LIMIT bytes."""
    name = (upload.filename or default).rsplit("/", 1)[-1][:200]
    if not name.lower().endswith(extensions):
        kinds = " 或 ".join(e.lstrip(".").upper() for e in extensions)
        raise Invalid(f"上传 {kinds} 文件 / send a {' or '.join(extensions)} file", code=code,
                      errors={"file": [f"a {' or '.join(extensions)} file"]})
    body = upload.read(limit + 1)
    if len(body) > limit:
        raise AppError(f"the file is larger than {limit // (1024 * 1024)} MiB",
                       code="payload_too_large", status=413)
    return name, body
