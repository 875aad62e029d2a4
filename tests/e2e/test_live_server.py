"""The browser tests' server closes what it serves even when the browser drops the connection."""

import socket
import struct
import time
from urllib.parse import urlsplit

STATIC = "/static/vendor/bootstrap/bootstrap.min.css"


def test_a_dropped_connection_closes_the_static_file(app, live_server):
    # The browser's pattern that leaked a file in CI: a request with bytes after it, most of the
    # response read, then a reset while Werkzeug's server drains what is left of the request.
    served = []
    original = app.wsgi_app

    def keep(environ, start_response):
        response = original(environ, start_response)
        served.append(response)
        return response

    app.wsgi_app = keep
    try:
        address = urlsplit(live_server)
        with socket.socket() as conn:
            # A small window keeps the server writing until we have sent the extra bytes.
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            conn.settimeout(10)
            conn.connect((address.hostname, address.port))
            conn.sendall(f"GET {STATIC} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
            received = conn.recv(4096)
            conn.sendall(b"left over")
            while chunk := conn.recv(65536):
                received += chunk
                if len(received) > 200_000:
                    break
            assert received.startswith(b"HTTP/1.1 200")
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and not (served and served[0].file.closed):
            time.sleep(0.02)
        assert served and served[0].file.closed
    finally:
        app.wsgi_app = original
