"""A fault-injecting HTTP proxy on 127.0.0.1, in front of a real server (moto in server mode).

moto cannot inject network faults itself, so S3 fault tests point boto3 at this proxy
(``AWS_ENDPOINT_URL``); it forwards every request to the upstream server and, for
requests matching a rule, injects a fault instead:

    with FaultyProxy(moto_url) as proxy:
        proxy.inject("500")                     # the next GET answers 500, then requests pass
        proxy.inject("cut", times=None, keep=100)  # every GET body stops after 100 bytes
        ...  # boto3 with AWS_ENDPOINT_URL=proxy.url
        assert proxy.faults == ["500"]

Faults:

``"500"``
    An S3-style ``InternalError`` XML answer with status 500; upstream is not asked.
``"stall"``
    Hold the request (nothing sent) for ``seconds`` (default 30), then close.
``"stall-body"``
    Forward; send the headers and the first ``keep`` bytes of the body, then hold.
``"cut"``
    Forward; announce the full ``Content-Length`` but send only the first ``keep``
    bytes (default half the body), then close the connection.
``"corrupt"``
    Forward the whole body with byte ``keep`` (default the middle one) changed.

A refused connection needs no proxy: :func:`closed_port_url` is a URL where nothing
listens.
"""

from __future__ import annotations

import collections
import http.client
import http.server
import socket
import threading
from dataclasses import dataclass
from urllib.parse import urlsplit

from _http import _Server  # threaded, daemon threads, keeps handler errors for tests

__all__ = ["FaultyProxy", "Request", "closed_port_url"]

_HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-connection",
    "transfer-encoding",
    "te",
    "trailer",
    "upgrade",
    "content-length",
}
_INTERNAL_ERROR = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>InternalError</Code>'
    b"<Message>We encountered an internal error. Please try again.</Message></Error>"
)


@dataclass
class _Rule:
    fault: str
    method: str
    times: int | None  # None: every matching request
    keep: int | None
    seconds: float
    then: object  # called with no argument once the fault is injected


@dataclass(frozen=True)
class Request:
    """One request the proxy received, and the fault injected into it (None: forwarded)."""

    method: str
    path: str
    fault: str | None
    range: str | None  # the Range header


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def _handle(self):
        proxy: FaultyProxy = self.server.proxy
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        rule = proxy._take(self.command)
        proxy.requests.append(
            Request(self.command, self.path, rule.fault if rule else None, self.headers.get("Range"))
        )
        if rule is not None and rule.fault == "500":
            self._answer(500, [("Content-Type", "application/xml")], _INTERNAL_ERROR)
            rule.then()
            return
        if rule is not None and rule.fault == "stall":
            rule.then()
            proxy._released.wait(rule.seconds)
            self.close_connection = True
            return
        status, headers, data = proxy._forward(self.command, self.path, self.headers, body)
        if rule is None:
            self._answer(status, headers, data)
            return
        if rule.fault == "corrupt":
            at = len(data) // 2 if rule.keep is None else rule.keep
            self._answer(status, headers, data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :])
            rule.then()
            return
        keep = len(data) // 2 if rule.keep is None else rule.keep
        self._answer(status, headers, data, send=data[:keep])
        rule.then()
        if rule.fault == "stall-body":
            proxy._released.wait(rule.seconds)
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    do_GET = do_PUT = do_POST = do_HEAD = do_DELETE = _handle

    def _answer(self, status, headers, data, *, send=None):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data if send is None else send)
            self.wfile.flush()

    def log_message(self, format, *args):  # keep test output clean
        pass


class FaultyProxy:
    """A forwarding proxy with fault rules, on a free port of 127.0.0.1, in a daemon thread.

    Parameters
    ----------
    upstream : str
        ``http://host:port`` of the real server.

    Attributes
    ----------
    url : str
        The proxy's ``http://127.0.0.1:<port>``.
    requests : list of Request
        Every request received, in order.
    """

    def __init__(self, upstream: str):
        parts = urlsplit(upstream)
        self._upstream = (parts.hostname, parts.port)
        self._rules: list[_Rule] = []
        self._lock = threading.Lock()
        self._released = threading.Event()
        self.requests: list = []
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.proxy = self
        self._httpd.errors = []
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="FaultyProxy", daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def errors(self) -> list:
        """Exceptions raised while handling requests (clients that hung up, bugs here)."""
        return self._httpd.errors

    @property
    def faults(self) -> list[str]:
        """The faults injected so far, in order."""
        return [r.fault for r in self.requests if r.fault]

    def count(self, method: str = "GET") -> collections.Counter:
        """Requests received per path for ``method``."""
        return collections.Counter(r.path for r in self.requests if r.method == method)

    def inject(
        self,
        fault: str,
        *,
        method: str = "GET",
        times: int | None = 1,
        keep: int | None = None,
        seconds: float = 30.0,
        then=None,
    ) -> None:
        """Inject ``fault`` into the next ``times`` requests with ``method`` (all with None).

        ``then()``, when given, is called each time right after the fault is injected
        (e.g. to change the object while a client is reading it).
        """
        if fault not in ("500", "stall", "stall-body", "cut", "corrupt"):
            raise ValueError(f"unknown fault {fault!r}")
        with self._lock:
            self._rules.append(_Rule(fault, method, times, keep, seconds, then or (lambda: None)))

    def clear(self) -> None:
        """Drop every rule (requests stalled already stay stalled until exit)."""
        with self._lock:
            self._rules.clear()

    def _take(self, method: str) -> _Rule | None:
        with self._lock:
            for rule in self._rules:
                if rule.method == method and (rule.times is None or rule.times > 0):
                    if rule.times is not None:
                        rule.times -= 1
                    return rule
        return None

    def _forward(self, method, path, headers, body):
        connection = http.client.HTTPConnection(*self._upstream, timeout=30)
        try:
            sent = {k: v for k, v in headers.items() if k.lower() not in _HOP_BY_HOP}
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            data = response.read()
            kept = [(k, v) for k, v in response.getheaders() if k.lower() not in _HOP_BY_HOP]
            return response.status, kept, data
        finally:
            connection.close()

    def __enter__(self) -> FaultyProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._released.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=10)


def closed_port_url() -> str:
    """``http://127.0.0.1:<port>`` where nothing listens: connecting is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"
