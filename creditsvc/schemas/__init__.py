"""The marshmallow schemas every entry point shares: the API, the pages, the CLI and the jobs.

Below all of them, so that a page parses a form with the very schema the API documents, and no
entry point imports another.
"""

from creditsvc.schemas import messages

# Before any schema module builds its fields and validators: marshmallow copies a message
# template into each validator when it is made (messages.py).
messages.install()
