"""A real HTTP server on 127.0.0.1 for download tests (no mocks of HTTP).

    with LocalServer(folder) as server:
        url = server.add("/broken.txt", wrong_bytes(b"nope"))
        ...  # download url
        assert server.hits["/broken.txt"] == 1

The server serves ``folder`` (when given) like ``python -m http.server``, and any
path registered with :meth:`LocalServer.add` through its handler instead. Handlers
for the usual failures are below: wrong bytes, an HTML error page with status 200,
a truncated body, an HTTP error status, failing-then-working, and archives.
"""

from __future__ import annotations

import collections
import functools
import http.server
import io
import socket
import tarfile
import threading
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

__all__ = [
    "LocalServer",
    "fail_then_serve",
    "html_error_page",
    "refused_url",
    "serve_bytes",
    "status",
    "tar_of",
    "truncated",
    "wrong_bytes",
    "zip_of",
]


class _Handler(http.server.SimpleHTTPRequestHandler):
    def _route(self):
        path = unquote(urlsplit(self.path).path)
        server = self.server
        with server.lock:
            server.hits[path] += 1
        return server.routes.get(path)

    def do_GET(self):
        route = self._route()
        if route is not None:
            route(self)
        elif self.server.root is None:
            self.send_error(404, "Not Found")
        else:
            super().do_GET()

    def do_HEAD(self):
        route = self._route()
        if route is None and self.server.root is not None:
            super().do_HEAD()
        else:
            self.send_error(405 if route else 404)

    def log_message(self, format, *args):  # keep test output clean
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A client that gave up (timeout tests) makes the handler's write fail: expected
        # here, and socketserver would print a traceback to stderr.
        import sys

        self.errors.append(sys.exc_info()[1])


class LocalServer:
    """A ``ThreadingHTTPServer`` on 127.0.0.1, a free port, in a daemon thread.

    Parameters
    ----------
    root : path, optional
        Folder served for paths without a registered handler (404 when None).

    Attributes
    ----------
    url : str
        ``http://127.0.0.1:<port>`` (no trailing slash).
    hits : collections.Counter
        Requests received per (unquoted) path, registered or not.
    errors : list of BaseException
        Exceptions raised while handling requests (e.g. a client that hung up).
    """

    def __init__(self, root=None):
        self.root = None if root is None else Path(root)
        handler = functools.partial(_Handler, directory=str(self.root)) if self.root else _Handler
        self._httpd = _Server(("127.0.0.1", 0), handler)
        self._httpd.errors = []
        self._httpd.root = self.root
        self._httpd.routes = {}
        self._httpd.hits = collections.Counter()
        self._httpd.lock = threading.Lock()
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="LocalServer", daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def errors(self) -> list:
        return self._httpd.errors

    @property
    def hits(self) -> collections.Counter:
        return self._httpd.hits

    def add(self, path: str, handler) -> str:
        """Serve ``path`` with ``handler(request)``; returns the full URL."""
        self._httpd.routes[path] = handler
        return self.url + path

    def __enter__(self) -> LocalServer:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=10)


def serve_bytes(data: bytes, *, code: int = 200, content_type: str = "application/octet-stream"):
    """A handler answering ``code`` with ``data`` and a correct Content-Length."""

    def handle(request):
        request.send_response(code)
        request.send_header("Content-Type", content_type)
        request.send_header("Content-Length", str(len(data)))
        request.end_headers()
        request.wfile.write(data)

    return handle


def wrong_bytes(data: bytes = b"word1\tword2\t1.0\nthis is not the catalogued file\n"):
    """Status 200 with other content than the file (another version, say)."""
    return serve_bytes(data, content_type="text/plain")


HTML_PAGE = (
    b"<!DOCTYPE html>\n<html><head><title>Sign in - Corporate Proxy</title></head>"
    b"<body><h1>Please sign in</h1><p>The page you asked for needs a login.</p></body></html>\n"
)


def html_error_page(page: bytes = HTML_PAGE):
    """An HTML page served with status 200 (a captive portal or a soft 404)."""
    return serve_bytes(page, content_type="text/html; charset=utf-8")


def truncated(data: bytes, *, sent: int | None = None):
    """Announce ``len(data)`` bytes, send only ``sent`` (half by default), then close."""

    def handle(request):
        n = len(data) // 2 if sent is None else sent
        request.send_response(200)
        request.send_header("Content-Type", "text/plain")
        request.send_header("Content-Length", str(len(data)))
        request.end_headers()
        request.wfile.write(data[:n])
        request.wfile.flush()
        request.close_connection = True
        request.connection.shutdown(socket.SHUT_RDWR)

    return handle


def status(code: int):
    """Answer with an HTTP error status and a small HTML body."""

    def handle(request):
        request.send_error(code)

    return handle


def fail_then_serve(data: bytes, *, failures: int = 1, code: int = 500):
    """Answer ``code`` to the first ``failures`` requests, then serve ``data``.

    The handler's ``calls`` attribute counts the requests it received.
    """

    def handle(request):
        handle.calls += 1
        if handle.calls <= failures:
            request.send_error(code)
        else:
            serve_bytes(data)(request)

    handle.calls = 0
    return handle


def zip_of(members: dict[str, bytes]) -> bytes:
    """A zip archive (deflated) holding ``{member name: content}``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def tar_of(members: dict[str, bytes], *, mode: str = "w:gz") -> bytes:
    """A tar archive (gzip-compressed by default) holding ``{member name: content}``."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode=mode) as archive:
        for name, content in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            archive.addfile(info, io.BytesIO(content))
    return buffer.getvalue()


def refused_url(path: str = "/file.txt") -> str:
    """A URL on 127.0.0.1 where nothing listens (the connection is refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}{path}"
