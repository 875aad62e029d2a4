"""WSGI entry point for gunicorn and the flask command."""

from creditsvc import create_app

app = create_app()
