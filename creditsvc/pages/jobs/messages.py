"""What a job says of itself (its `message`), in the page's language."""

import re

from flask_babel import gettext as _

from creditsvc.core.refusals import CATALOGUE, text
from creditsvc.pages.labels import LABELS


def job_message(job) -> str:
    """What a job says of itself, in the page's language.

    A failed job's result carries the service's refusal code and parameters: the catalogue
    says it; the worker's own messages have labels; anything else is shown as it came.
    """
    if not job.message:
        return ""
    result = job.result or {}
    if job.status == "failed" and result.get("code") in CATALOGUE:
        return text(result["code"], result.get("params"))
    if found := re.fullmatch(r"gave up after (\d+) attempts", job.message):
        return _("重试 %(n)s 次仍未完成，已放弃", n=found.group(1))
    if job.message.startswith("queued again: worker"):
        return _("处理进程中断，已重新排队")
    if job.message.startswith("internal error"):
        return _("内部错误，请联系管理员")
    known = LABELS["job_message"].get(job.message)
    return str(known) if known is not None else job.message
