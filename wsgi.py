"""WSGI entry point for gunicorn and the flask command: JSON log lines on standard error."""

import os

from creditsvc import create_app
from creditsvc.infra.logs import configure_logging

configure_logging(os.environ.get("CREDITSVC_LOG_LEVEL", "INFO"))
app = create_app()
