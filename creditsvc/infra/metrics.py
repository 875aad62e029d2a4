"""/metrics in Prometheus's text format: requests by route, and the books' figures.

Requests and their latency are counted in each process. Under gunicorn every worker is its own
process, so they use prometheus_client's multiprocess mode: each writes its samples to files in
`PROMETHEUS_MULTIPROC_DIR` (set, and emptied at start, by gunicorn.conf.py; a dead worker's
files are marked by its `child_exit` hook), and a scrape, whichever worker answers it, sums them
all. The programme's figures are read from the database at scrape time
(creditsvc/services/platform/metrics.py).

Only configured addresses (`METRICS_ALLOW`, default the machine itself) or a caller with the
bearer token `METRICS_TOKEN` may read it.
"""

import functools
import hmac
import ipaddress
import os
import time

from flask import Flask, Response, abort, current_app, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"

REQUESTS = Counter("creditsvc_http_requests_total", "HTTP requests answered.",
                   ("method", "route", "status"))
LATENCY = Histogram("creditsvc_http_request_duration_seconds", "Time to answer a request.",
                    ("method", "route"),
                    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30))


def register_metrics(app: Flask) -> None:
    """Count every request (after it is answered) by method, route pattern and status.

    Its start is the one the request log takes (`creditsvc.infra.logs`, registered first)."""
    app.after_request(_count)


@functools.lru_cache(maxsize=4096)  # routes x methods x statuses: a bounded set
def _samples(method: str, route: str, status: int):
    """The counter and histogram children of one kind of request, looked up once."""
    return REQUESTS.labels(method, route, str(status)), LATENCY.labels(method, route)


def _count(response):
    route = request.url_rule.rule if request.url_rule is not None else "unmatched"
    counter, histogram = _samples(request.method, route, response.status_code)
    counter.inc()
    started = g.get("request_started")
    if started is not None:
        histogram.observe(time.perf_counter() - started)
    return response


def allowed(remote_addr: str | None, authorization: str, config) -> bool:
    """Whether a caller may read /metrics: a configured address, or the token."""
    token = config.get("METRICS_TOKEN")
    scheme, _, given = authorization.partition(" ")
    if token and scheme.lower() == "bearer" and hmac.compare_digest(given.strip(), token):
        return True
    try:
        address = ipaddress.ip_address(remote_addr or "")
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(net, strict=False)
               for net in config.get("METRICS_ALLOW", ("127.0.0.1/32", "::1/128")))


def exposition(figures) -> Response:
    """Every process's request samples and the books' FIGURES, as one scrape."""
    if not allowed(request.remote_addr, request.headers.get("Authorization", ""), current_app.config):
        abort(403)
    if os.environ.get(MULTIPROC_ENV):
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
        body = generate_latest(registry)
    else:
        body = generate_latest(REGISTRY)
    book = CollectorRegistry()
    book.register(_Figures(list(figures)))
    return Response(body + generate_latest(book), content_type=CONTENT_TYPE_LATEST)


class _Figures:
    """A collector over figures already read (services.platform.metrics.Figure)."""

    def __init__(self, figures):
        self._figures = figures

    def collect(self):
        families = {}
        for f in self._figures:
            family = families.get(f.name)
            if family is None:
                kind = CounterMetricFamily if f.kind == "counter" else GaugeMetricFamily
                name = f.name.removesuffix("_total") if f.kind == "counter" else f.name
                family = families[f.name] = kind(name, f.help, labels=[k for k, _ in f.labels])
            family.add_metric([v for _, v in f.labels], f.value)
        return list(families.values())
