"""The HTTP side of ``nakg serve``: routes, the SPARQL 1.1 Protocol, limits and headers.

Standard library only (:class:`http.server.ThreadingHTTPServer`): the server
answers a handful of routes, and the work that can be slow — running a
query — happens in the worker processes of :class:`~nakg.serve.pool.WorkerPool`,
so a thread per connection is enough. Routes:

========================  ======================================================
``GET/POST /sparql``      the SPARQL 1.1 Protocol query operation
``GET /``                 the query page (example queries from ``queries/cq/``)
``GET /explorer``         the graph explorer, when ``nakg.export.export_html`` exists
``GET /static/<name>``    the page's JavaScript and CSS (an exact-name allow-list)
``GET /health``           JSON: status, triples, idle workers
``GET /resource/…``       resources and ontology terms (``/<Term>``, ``/ontology``), the
                          dataset's VoID at ``/.well-known/void``: :mod:`~nakg.serve.linked`
========================  ======================================================

``GET /sparql`` without a query answers the SPARQL 1.1 Service Description.
"""

from __future__ import annotations

import io
import ipaddress
import json
import logging
import re
import shutil
import socket
import tempfile
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from ..errors import NakgError
from .engine import DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_MAX_RESULTS, Response, error_response
from .linked import is_linked_path, negotiate_document
from .page import load_examples, render_index, static_files

__all__ = ["ServeConfig", "Server", "ServeError"]

log = logging.getLogger("nakg.serve")

_SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
_PAGE_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
             "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
_EXPLORER_CSP = ("default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
                 "img-src 'self' data:; connect-src 'self'; base-uri 'none'; frame-ancestors 'none'")
_LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1"}
#: A Host header: a name or an IPv4 address, or an IPv6 address in brackets, then an optional port (RFC 9110 §7.2).
_HOST = re.compile(r"^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9.-]+))(?::([0-9]{1,5}))?$")
#: Request headers that must not appear twice (two values are how requests are smuggled past proxies).
_SINGLE_HEADERS = ("Host", "Content-Length", "Content-Type", "Transfer-Encoding")


class ServeError(NakgError):
    """The endpoint cannot be started (address in use, graph not loadable …)."""


@dataclass
class ServeConfig:
    """Settings of the endpoint; the defaults are the safe ones.

    Attributes:
        host: address to bind; the loopback address by default (only this machine can connect).
        port: TCP port (0: any free port).
        timeout: seconds a query may run before it is stopped (504).
        max_results: result rows (SELECT) or triples (CONSTRUCT/DESCRIBE) returned at most; more are cut off
            and the response says so in ``X-Nakg-Truncated``.
        max_request_bytes: the largest request body or query accepted (413 beyond).
        workers: query worker processes (queries run in parallel up to this number).
        queue_timeout: seconds a request waits for a free worker before 503 (default: ``timeout``).
        max_connections: connections served at once; more are answered 503 and closed.
        cors: send ``Access-Control-Allow-Origin: *`` so pages of other origins may query the endpoint.
        queries_dir: the folder of example queries for the page (default: ``queries/cq`` of the package).
        read_timeout: seconds one read from a client may wait (and an idle kept-alive connection stays open).
        request_timeout: seconds a client has to send a whole request, head and body; then the connection is closed.
        write_timeout: seconds a client has to read a whole response; then the connection is closed.
        max_response_bytes: the size of the RDF terms of one answer at most; rows beyond are cut off and the
            response says so in ``X-Nakg-Truncated``.
        base: the IRI prefix the resource paths stand for (``https://w3id.org/nakg/`` behind the w3id redirect);
            None: the address each request was sent to (see :mod:`nakg.serve.linked`).
    """

    host: str = "127.0.0.1"
    port: int = 7878
    timeout: float = 10.0
    max_results: int = DEFAULT_MAX_RESULTS
    max_request_bytes: int = 256 * 1024
    workers: int = 2
    queue_timeout: float | None = None
    max_connections: int = 64
    cors: bool = False
    queries_dir: Path | None = None
    read_timeout: float = 30.0
    base: str | None = None
    request_timeout: float = 10.0
    write_timeout: float = 60.0
    max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES


def _is_loopback(host: str) -> bool:
    if host in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class _HTTPServer(ThreadingHTTPServer):
    request_queue_size = 128  # listen backlog: socketserver's default of 5 resets bursts of concurrent clients
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, handler, app: Server, max_connections: int):
        if ":" in address[0]:
            self.address_family = socket.AF_INET6  # --host ::1
        self.app = app
        self._slots = threading.BoundedSemaphore(max_connections)
        super().__init__(address, handler)

    def process_request(self, request, client_address):
        if not self._slots.acquire(blocking=False):
            try:
                request.sendall(b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nContent-Length: 36\r\n"
                                b"Connection: close\r\nRetry-After: 1\r\n\r\nError 503: too many open connections")
            except OSError:
                pass
            self.shutdown_request(request)
            return
        super().process_request(request, client_address)

    def process_request_thread(self, request, client_address):
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()


class _DeadlineReader(io.RawIOBase):
    """The socket as the handler reads it: every read waits at most until the request's deadline."""

    def __init__(self, sock: socket.socket, handler: _Handler):
        self.sock = sock
        self.handler = handler

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        remaining = self.handler.deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError(f"the request was not complete within {self.handler.server.app.config.request_timeout:g} s")
        self.sock.settimeout(min(remaining, self.handler.server.app.config.read_timeout))
        return self.sock.recv_into(buffer)


class _Handler(BaseHTTPRequestHandler):
    server: _HTTPServer
    protocol_version = "HTTP/1.1"
    server_version = "nakg"
    sys_version = ""
    # TCP_NODELAY: the headers and the body go out in two writes; with Nagle's algorithm a small body waits for the
    # client's delayed ACK of the headers, about 40 ms on every keep-alive request (measured: 44 ms -> 0.3 ms)
    disable_nagle_algorithm = True
    error_content_type = "text/plain; charset=utf-8"
    error_message_format = "Error %(code)d: %(message)s\n"

    def setup(self) -> None:
        self.timeout = self.server.app.config.read_timeout
        super().setup()
        self.deadline = time.monotonic() + self.server.app.config.read_timeout
        self.rfile = io.BufferedReader(_DeadlineReader(self.connection, self), 64 * 1024)

    def handle_one_request(self) -> None:
        # the next request may take read_timeout to begin; from its first byte on, its whole head and body must
        # arrive within request_timeout (a timeout per read let a client sending a byte now and then hold its
        # connection slot for ever)
        config = self.server.app.config
        self.deadline = time.monotonic() + config.read_timeout
        try:
            started = bool(self.rfile.peek(1))
        except (TimeoutError, OSError):
            started = False
        if not started:
            self.close_connection = True
            return
        self.deadline = time.monotonic() + config.request_timeout
        super().handle_one_request()

    def _write(self, data: bytes) -> None:
        """Send ``data`` within the response's deadline (a client reading slowly cannot hold its slot for ever)."""
        view = memoryview(data)
        while view:
            remaining = self._write_deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("the client did not read the response in time")
            self.connection.settimeout(min(remaining, self.server.app.config.read_timeout))
            sent = self.connection.send(view[:256 * 1024])
            view = view[sent:]

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        log.info("%s %s", self.address_string(), format % args)

    # --- plumbing ----------------------------------------------------------------------------------------------
    def _send(self, resp: Response, head: bool = False) -> None:
        app = self.server.app
        self._write_deadline = time.monotonic() + app.config.write_timeout
        self.connection.settimeout(app.config.read_timeout)
        self.send_response(resp.status)
        self.send_header("Content-Type", resp.content_type)
        self.send_header("Content-Length", str(len(resp.body)))
        for k, v in _SECURITY_HEADERS.items():
            self.send_header(k, v)
        for k, v in resp.headers.items():
            self.send_header(k, v)
        if app.config.cors:
            self.send_header("Access-Control-Allow-Origin", "*")
            self.send_header("Access-Control-Expose-Headers", "X-Nakg-Result-Count, X-Nakg-Truncated")
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if not head:
            try:
                self._write(resp.body)
            except (TimeoutError, OSError):
                self.close_connection = True

    def _fail(self, status: int, message: str, headers: dict[str, str] | None = None, close: bool = False) -> None:
        if close:
            self.close_connection = True
        self._send(error_response(status, message, headers), head=self.command == "HEAD")

    def _host_ok(self) -> bool:
        """Against DNS rebinding: a server bound to loopback answers only requests addressed to a loopback name.

        The header is read whole (``name[:port]``, ``[IPv6][:port]``): anything else, such as
        ``localhost:1@evil.com``, is refused.
        """
        config = self.server.app.config
        if not _is_loopback(config.host):
            return True
        host = self.headers.get("Host")
        if host is None:
            return True
        m = _HOST.match(host.strip())
        if not m:
            return False
        name = (m[1] or m[2]).lower()
        return _is_loopback(name) or name == config.host.lower()

    def _smuggling(self) -> str | None:
        """Why the request's framing is ambiguous (repeated or malformed framing headers), or None."""
        for name in _SINGLE_HEADERS:
            if len(self.headers.get_all(name) or []) > 1:
                return f"the {name} header is given more than once"
        length = self.headers.get("Content-Length")
        if length is not None and not re.fullmatch(r"[0-9]{1,12}", length.strip()):
            return f"invalid Content-Length {length[:40]!r} (digits only)"
        return None

    # --- methods -----------------------------------------------------------------------------------------------
    def _dispatch(self) -> None:
        app = self.server.app
        method = self.command
        path = urlsplit(self.path).path
        if method not in ("GET", "HEAD", "OPTIONS") and not (path == "/sparql" and method == "POST"):
            self.close_connection = True  # a body we do not read must not be taken for the next request
        if method != "POST" and (self.headers.get("Content-Length", "0").strip() != "0" or "Transfer-Encoding" in self.headers):
            self.close_connection = True  # the same for a GET that carries a body
        problem = self._smuggling()
        if problem:
            return self._fail(400, f"{problem}: the request cannot be framed unambiguously", close=True)
        if not self._host_ok():
            return self._fail(403, f"unexpected Host header {self.headers.get('Host')!r}: this server answers only "
                                   "requests to a loopback address (DNS rebinding protection)", close=True)
        if path == "/sparql":
            allowed = ("GET", "POST", "OPTIONS") if app.config.cors else ("GET", "POST")
            if method == "OPTIONS" and app.config.cors:
                return self._preflight()
            if method not in allowed:
                return self._fail(405, f"{method} is not allowed on /sparql (read-only SPARQL query endpoint)",
                                  {"Allow": ", ".join(allowed)})
            return self._sparql()
        if path in ("/", "/index.html", "/explorer", "/health") or path.startswith("/static/"):
            if method not in ("GET", "HEAD"):
                return self._fail(405, f"{method} is not allowed on {path}", {"Allow": "GET, HEAD"})
            head = method == "HEAD"
            if path in ("/", "/index.html"):
                return self._send(Response(200, "text/html; charset=utf-8", app.index_html,
                                           {"Content-Security-Policy": _PAGE_CSP, "Cache-Control": "no-cache"}), head)
            if path == "/explorer":
                body = app.explorer_html()
                if body is None:
                    return self._fail(404, "no graph explorer in this installation (nakg.export.export_html is missing)")
                return self._send(Response(200, "text/html; charset=utf-8", body, {"Content-Security-Policy": _EXPLORER_CSP}),
                                  head)
            if path == "/health":
                body = json.dumps({"status": "ok", "triples": app.triples, "workers": app.pool.size,
                                   "idle_workers": app.pool.idle, "replaced_workers": app.pool.replaced}).encode()
                return self._send(Response(200, "application/json", body, {"Cache-Control": "no-store"}), head)
            entry = app.static.get(path[len("/static/"):])  # exact names only: no path is ever joined
            if entry is None:
                return self._fail(404, "not found")
            file, media = entry
            return self._send(Response(200, media, file.read_bytes(), {"Cache-Control": "max-age=300"}), head)
        if is_linked_path(path) and app.linked is not None:  # resources and ontology terms: nakg.serve.linked
            if method not in ("GET", "HEAD"):
                return self._fail(405, f"{method} is not allowed on {path}", {"Allow": "GET, HEAD"})
            return self._send(app.linked.respond(path, urlsplit(self.path).query, self.headers.get("Accept"),
                                                 app.request_host(self.headers.get("Host"))), method == "HEAD")
        return self._fail(404, "not found")

    # every method goes through _dispatch, which answers the ones the endpoint does not serve with 405
    do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_TRACE = _dispatch  # noqa: N815

    def _preflight(self) -> None:
        self.send_response(204)
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
        self.send_header("Access-Control-Allow-Headers", "Content-Type, Accept")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _read_body(self) -> bytes | None:
        """The request body, or None after answering 411/413/400."""
        limit = self.server.app.config.max_request_bytes
        if "Transfer-Encoding" in self.headers:
            self._fail(411, "send the request with a Content-Length (chunked or otherwise encoded bodies are not accepted)",
                       close=True)
            return None
        length = self.headers.get("Content-Length")
        if length is None:
            self._fail(411, "a POST request needs a Content-Length", close=True)
            return None
        n = int(length)  # digits only: checked by _smuggling
        if n > limit:
            self._fail(413, f"request body of {n} bytes exceeds the limit of {limit} bytes", close=True)
            return None
        return self.rfile.read(n)

    def _sparql(self) -> None:
        app = self.server.app
        limit = app.config.max_request_bytes
        raw_qs = urlsplit(self.path).query
        try:
            params = parse_qs(raw_qs, keep_blank_values=True, max_num_fields=200, errors="strict")
        except (ValueError, UnicodeDecodeError) as exc:
            return self._fail(400, f"malformed query string: {exc}")
        if self.command in ("GET", "HEAD") and app.linked is not None and (  # SPARQL 1.1 Service Description
                not params or (set(params) == {"format"} and negotiate_document(None, params["format"][0]))):
            return self._send(app.linked.service_description(self.headers.get("Accept"), (params.get("format") or [None])[0],
                                                             app.request_host(self.headers.get("Host"))),
                              self.command == "HEAD")
        if self.command == "POST":
            body = self._read_body()
            if body is None:
                return None
            ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            if ctype == "application/x-www-form-urlencoded":
                try:
                    form = parse_qs(body.decode("utf-8"), keep_blank_values=True, max_num_fields=200, errors="strict")
                except (ValueError, UnicodeDecodeError) as exc:
                    return self._fail(400, f"malformed form body: {exc}")
                for k, v in form.items():
                    params.setdefault(k, []).extend(v)
            elif ctype == "application/sparql-query":
                try:
                    text = body.decode("utf-8")
                except UnicodeDecodeError:
                    return self._fail(400, "the query is not valid UTF-8")
                if "query" in params:
                    return self._fail(400, "a query in the body and a 'query' parameter: send one")
                params["query"] = [text]
            elif ctype == "application/sparql-update":
                return self._fail(403, "SPARQL Update is not allowed: this endpoint is read-only")
            else:
                return self._fail(415, f"unsupported Content-Type {ctype or '(none)'!r}: send application/sparql-query "
                                       "or application/x-www-form-urlencoded")
        if "update" in params:
            return self._fail(403, "SPARQL Update is not allowed: this endpoint is read-only")
        queries = params.get("query", [])
        if len(queries) != 1:
            return self._fail(400, "missing 'query' parameter" if not queries else "more than one 'query' parameter")
        query = queries[0]
        if len(query.encode("utf-8")) > limit:
            return self._fail(413, f"query of {len(query.encode('utf-8'))} bytes exceeds the limit of {limit} bytes")
        formats = params.get("format") or [None]
        response = app.pool.submit({
            "query": query,
            "accept": self.headers.get("Accept"),
            "fmt": formats[0],
            "default_graphs": tuple(params.get("default-graph-uri", ())),
            "named_graphs": tuple(params.get("named-graph-uri", ())),
        })
        self._send(response)


class Server:
    """The endpoint: the graph written for the workers, the worker pool and the HTTP server.

    Args:
        config: the settings.
        kg: the knowledge graph to serve; default: ``nakg.load(graph_path)``.
        graph_path: a built graph (``nakg.nt`` or a build folder), used when ``kg`` is not given.

    Use :meth:`start` then :meth:`serve_forever` (``nakg serve``), or the context
    manager, which serves from a background thread (tests, notebooks).
    """

    def __init__(self, config: ServeConfig | None = None, kg=None, graph_path: Path | None = None):
        self.config = config or ServeConfig()
        self._kg = kg
        self._graph_path = graph_path
        self.httpd: _HTTPServer | None = None
        self.pool = None
        self.triples = 0
        self.index_html = b""
        self.static = static_files()
        self._tmp: Path | None = None
        self._thread: threading.Thread | None = None
        self._explorer: bytes | None = None
        self._explorer_done = False
        self._explorer_lock = threading.Lock()
        self.linked = None

    def material_card(self, record_id: str) -> dict | None:
        """The card of a material (:meth:`nakg.api.KnowledgeGraph.material`) for its page; None when there is none."""
        try:
            return self.kg.material(record_id)
        except Exception as exc:  # noqa: BLE001 - the page is then built from the triples alone
            log.debug("no card for %s: %s", record_id, exc)
            return None

    def request_host(self, header: str | None) -> str:
        """The ``host[:port]`` a request was addressed to (its Host header when well-formed, else the bound address)."""
        if header and re.fullmatch(r"[A-Za-z0-9.-]+(:[0-9]{1,5})?|\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?", header.strip()):
            return header.strip()
        return self.url.split("://", 1)[1]

    @property
    def url(self) -> str:
        """The base URL (``http://host:port``)."""
        host, port = self.httpd.server_address[:2] if self.httpd else (self.config.host, self.config.port)
        return f"http://{'[' + host + ']' if ':' in host else host}:{port}"

    @property
    def kg(self):
        if self._kg is None:
            from ..api import load

            self._kg = load(self._graph_path)
        return self._kg

    def start(self) -> Server:
        """Bind the address, write the graph, start the workers and build the page (does not serve yet)."""
        from .pool import PoolError, WorkerPool

        c = self.config
        try:
            self.httpd = _HTTPServer((c.host, c.port), _Handler, self, c.max_connections)
        except OSError as exc:
            raise ServeError(f"cannot listen on {c.host}:{c.port}: {exc.strerror or exc}") from exc
        try:
            self._tmp = Path(tempfile.mkdtemp(prefix="nakg-serve-"))
            data = self._tmp / "graph.nt"
            self.kg.graph.serialize(destination=str(data), format="nt", encoding="utf-8")
            self.pool = WorkerPool(data, size=c.workers, timeout=c.timeout, max_results=c.max_results,
                                   queue_timeout=c.queue_timeout, max_bytes=c.max_response_bytes)
            self.pool.start()
            self.triples = self.pool.triples
            from .linked import LinkedData
            from .pages import PAGE_CSP, render_description

            self.linked = LinkedData(data, base=c.base, html=(render_description, PAGE_CSP))
            self.linked.card = self.material_card
            self.index_html = render_index(self._examples(), self.triples, explorer=self._explorer_available()).encode()
        except PoolError as exc:
            self.close()
            raise ServeError(str(exc)) from exc
        except BaseException:
            self.close()
            raise
        return self

    def _examples(self):
        folder = self.config.queries_dir
        if folder is None:
            from ..resources import queries_dir

            folder = queries_dir() / "cq"
        return load_examples(folder) if Path(folder).is_dir() else []

    @staticmethod
    def _explorer_function():
        """:func:`nakg.export.export_html` (or ``nakg.export.html.export_html``), None when neither exists."""
        try:
            from ..export import export_html
        except ImportError:
            try:
                from ..export.html import export_html
            except ImportError:
                return None
        return export_html

    def _explorer_available(self) -> bool:
        return self._explorer_function() is not None

    def explorer_html(self) -> bytes | None:
        """The explorer page, made on first use by :func:`nakg.export.export_html` (None when there is none)."""
        with self._explorer_lock:
            if not self._explorer_done:
                self._explorer_done = True
                fn = self._explorer_function()
                if fn is not None:
                    try:
                        out = self._tmp / "explorer.html"
                        result = fn(self.kg, out)
                        if out.is_file():
                            self._explorer = out.read_bytes()
                        elif isinstance(result, (str, bytes)):
                            self._explorer = result.encode("utf-8") if isinstance(result, str) else result
                    except Exception as exc:  # noqa: BLE001 - the endpoint runs on without the explorer
                        log.error("the explorer page could not be made: %s: %s", type(exc).__name__, exc)
            return self._explorer

    def serve_forever(self) -> None:
        """Serve until :meth:`close` (or Ctrl-C in the caller)."""
        self.httpd.serve_forever(poll_interval=0.2)

    def close(self) -> None:
        """Stop serving, stop the workers and remove the temporary files."""
        if self.httpd is not None:
            if self._thread is not None:
                self.httpd.shutdown()
                self._thread.join(5)
                self._thread = None
            self.httpd.server_close()
        if self.pool is not None:
            self.pool.close()
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None

    def __enter__(self) -> Server:
        self.start()
        self._thread = threading.Thread(target=self.serve_forever, name="nakg-serve", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.close()
