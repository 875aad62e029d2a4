"""gunicorn's settings for creditsvc (`gunicorn -c gunicorn.conf.py wsgi:app`).

Workers, bind address and timeout are given on the command line (Makefile, docs/operations.md);
this file makes gunicorn's own lines the same JSON as the service's.
"""

import os

from creditsvc.infra.logs import gunicorn_logconfig

logconfig_dict = gunicorn_logconfig(os.environ.get("CREDITSVC_LOG_LEVEL", "INFO"))
