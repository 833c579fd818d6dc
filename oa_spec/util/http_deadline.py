"""One deadline for a whole HTTP call made with `requests`: connecting, the status line, headers and body.

`requests`' timeout bounds each socket read only, so an answer that arrives a byte at a time would hold the call
for as long as the sender liked: a plan or an apply (and the account's lock) on the `wechat` provider's calls, a
follower's reply on the gateway's webhook calls. At the deadline the call's socket is shut from a timer thread, so
a read in progress ends at once and the caller sees `expired`. The calling thread's deadline is in _CALL: a
connection is watched when the call takes it from the pool (a kept-alive one) and when it connects (a new one);
mount DeadlineAdapter on the session.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from types import TracebackType
from typing import TYPE_CHECKING, Any

import requests
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NameResolutionError, NewConnectionError
from urllib3.poolmanager import PoolManager, pool_classes_by_scheme
from urllib3.util.connection import create_connection

from oa_spec.util.urls import is_loopback, url_host

if TYPE_CHECKING:
    from urllib3._base_connection import BaseHTTPConnection


class CallDeadline:
    """`seconds` from entering, the sockets of the connections the call uses are shut (`expired` is then True)."""

    def __init__(self, seconds: float) -> None:
        self._at = time.monotonic() + seconds
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self.expired = False
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def left(self) -> float:
        """Seconds until the deadline (at least 10 ms: a timeout of 0 means none to requests)."""
        return max(0.01, self._at - time.monotonic())

    def watch(self, connection: BaseHTTPConnection) -> None:
        """The connection's socket, if it has one yet (kept: http.client lets go of it while the answer is read)."""
        sock = getattr(connection, "sock", None)
        if isinstance(sock, socket.socket):
            self.watch_socket(sock)

    def watch_socket(self, sock: socket.socket) -> None:
        """A socket the call uses, shut at the deadline (at once if it has passed)."""
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                _shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shut(sock)

    def __enter__(self) -> CallDeadline:
        _CALL.deadline = self
        self._timer.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 trace: TracebackType | None) -> None:
        self._timer.cancel()
        _CALL.deadline = None


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already closed
        socket.socket.shutdown(sock, socket.SHUT_RDWR)  # the plain socket's: under TLS too, without a TLS goodbye


class _CallState(threading.local):
    deadline: CallDeadline | None = None


_CALL = _CallState()


def _watched(connection: BaseHTTPConnection) -> BaseHTTPConnection:
    if _CALL.deadline is not None:
        _CALL.deadline.watch(connection)
    return connection


class _Lookups:
    """Name lookups run off the calling thread so that one that never answers is given up at the call's deadline
    (the resolver's own timeouts are ten seconds and more, attack review 61). One lookup at a time per host, on a
    thread of its own: a host whose resolver hangs holds one thread, and delays no lookup of another host."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running: dict[tuple[str, int], Future[list[Any]]] = {}

    def lookup(self, host: str, port: int) -> Future[list[Any]]:
        with self._lock:
            running = self._running.get((host, port))
            if running is not None:
                return running
            future: Future[list[Any]] = Future()
            self._running[(host, port)] = future
        threading.Thread(target=self._resolve, args=(host, port, future), name=f"oaspec-dns-{host}",
                         daemon=True).start()
        return future

    def _resolve(self, host: str, port: int, future: Future[list[Any]]) -> None:
        try:
            future.set_result(socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM))
        except BaseException as exc:  # handed to every caller waiting on it
            future.set_exception(exc)
        finally:
            with self._lock:
                self._running.pop((host, port), None)


_LOOKUPS = _Lookups()


class _OneDeadlineConnect(HTTPConnection):
    """Connecting within the call's deadline: the name lookup, every address the host resolves to (urllib3 gives
    each the whole timeout: three silent addresses took three times it, attack review 60), and, the socket being
    watched from the moment it connects, a proxy's CONNECT and the TLS handshake (attack review 61)."""

    def _new_conn(self) -> socket.socket:
        deadline = _CALL.deadline
        if deadline is None:
            return super()._new_conn()
        lookup = _LOOKUPS.lookup(self._dns_host, self.port)
        try:
            addresses = lookup.result(timeout=deadline.left())
        except FutureTimeout as exc:
            raise ConnectTimeoutError(self, f"The name {self.host} was not found within the deadline") from exc
        except socket.gaierror as exc:
            raise NameResolutionError(self.host, self, exc) from exc
        failed: OSError | None = None
        for *_, address in addresses:
            if deadline.expired:
                break
            try:  # a numeric address: one attempt, with what is left of the deadline
                sock = create_connection((str(address[0]), int(address[1])), deadline.left(),
                                         source_address=self.source_address, socket_options=self.socket_options)
            except OSError as exc:
                failed = exc
                continue
            deadline.watch_socket(sock)
            return sock
        if deadline.expired or isinstance(failed, TimeoutError):
            raise ConnectTimeoutError(self, f"Connection to {self.host} did not open within the deadline")
        raise NewConnectionError(self, f"Failed to establish a new connection: {failed}")


class _HTTPConnection(_OneDeadlineConnect):
    def connect(self) -> None:
        super().connect()
        _watched(self)


class _HTTPSConnection(HTTPSConnection, _OneDeadlineConnect):
    def connect(self) -> None:
        super().connect()
        _watched(self)


class _HTTPPool(HTTPConnectionPool):
    ConnectionCls = _HTTPConnection

    def _get_conn(self, timeout: float | None = None) -> BaseHTTPConnection:
        return _watched(super()._get_conn(timeout))


class _HTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _HTTPSConnection

    def _get_conn(self, timeout: float | None = None) -> BaseHTTPConnection:
        return _watched(super()._get_conn(timeout))


_POOLS = {"http": _HTTPPool, "https": _HTTPSPool}


class DeadlineAdapter(HTTPAdapter):
    """requests' adapter whose connections the calling thread's CallDeadline can shut, direct or through an
    HTTP(S) proxy from the environment (a SOCKS proxy keeps its own connections: there each read is bounded)."""

    def init_poolmanager(self, connections: int, maxsize: int, block: bool = False, **pool_kwargs: Any) -> None:
        super().init_poolmanager(connections, maxsize, block, **pool_kwargs)
        self.poolmanager.pool_classes_by_scheme = _POOLS

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> PoolManager:
        manager: PoolManager = super().proxy_manager_for(proxy, **proxy_kwargs)
        if manager.pool_classes_by_scheme is pool_classes_by_scheme:  # not a SOCKS proxy's own
            manager.pool_classes_by_scheme = _POOLS
        return manager


class NoWholeAnswer(Exception):
    """No whole answer within the deadline, or the connection failed; the message says which, nothing more."""


def deadline_session(url: str | None = None, **adapter: Any) -> requests.Session:
    """A session whose calls a CallDeadline can cut. A proxy from the environment is used only for `url`'s host
    when that is not loopback (a loopback call's body, an OpenID and a signature with it, never goes to a proxy in
    plain text, attack review 61); without `url` (the platform's side in tests and the emulator), never."""
    session = requests.Session()
    session.trust_env = url is not None and not is_loopback(url_host(url))
    deadline = DeadlineAdapter(**adapter)
    for scheme in ("http://", "https://"):
        session.mount(scheme, deadline)
    return session


def whole_answer(session: requests.Session, seconds: float, method: str, url: str,
                 **request: Any) -> requests.Response:
    """One request on a deadline_session() whose status line, headers and body all arrive within `seconds`, as
    the platform holds a callback server to its 5 s; NoWholeAnswer otherwise."""
    late = f"no whole answer within {seconds:g} s"
    with CallDeadline(seconds) as deadline:
        try:
            answer = session.request(method, url, timeout=deadline.left(), **request)
        except (requests.RequestException, urllib3.exceptions.HTTPError, OSError) as exc:
            raise NoWholeAnswer(late if deadline.expired or isinstance(exc, requests.Timeout)
                                else type(exc).__name__) from exc
        if deadline.expired:  # a body with no Content-Length, ended by the deadline's shutdown: not an answer
            raise NoWholeAnswer(late)
        return answer
