"""The marshmallow schemas every entry point shares: the API, the pages, the CLI and the jobs.

Below all of them, so that a page parses a form with the very schema the API documents, and no
entry point imports another.
"""
