"""A loopback TCP relay to a server's unix socket that a test can cut and restore: the network between a
replica and its database, failing the way a partition does (connections dropped, new ones refused)."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator


class Relay:
    def __init__(self, target: str) -> None:
        self._target = target
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self._listener.getsockname()[1])
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()
        self.cut_off = False
        threading.Thread(target=self._accept, name="relay-accept", daemon=True).start()

    def cut(self) -> None:
        """Drop every connection; new ones are closed as soon as they arrive."""
        with self._lock:
            self.cut_off = True
            for sock in self._open:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
            self._open.clear()

    def restore(self) -> None:
        with self._lock:
            self.cut_off = False

    def close(self) -> None:
        self.cut()
        self._listener.close()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return  # closed
            with self._lock:
                if self.cut_off:
                    client.close()
                    continue
                server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                try:
                    server.connect(self._target)
                except OSError:
                    client.close()
                    continue
                self._open |= {client, server}
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while chunk := source.recv(65536):
                sink.sendall(chunk)
        with self._lock:
            self._open -= {source, sink}
        for sock in (source, sink):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()


@contextlib.contextmanager
def relayed(pg_dsn: str) -> Iterator[tuple[Relay, str]]:
    """A relay to the test cluster's unix socket (`host=DIR port=N ...`, as .ci/postgres.sh gives it) and a
    DSN through it."""
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    fields = conninfo_to_dict(pg_dsn)
    relay = Relay(f"{fields['host']}/.s.PGSQL.{fields['port']}")
    try:
        yield relay, make_conninfo(pg_dsn, host="127.0.0.1", port=str(relay.port), connect_timeout="2")
    finally:
        relay.close()
