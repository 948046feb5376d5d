"""Connection accounting for ``kg serve``: a cap on connections in all and per client address,
and which connection gives way when the caps are reached.

A slow client (slowloris) opens connections and sends its request a byte at a time, to hold every
connection slot. Here a connection that is still sending its request is the first to go: when
the server or one client address is at its cap, the oldest connection of that client (or, for the
server's cap, of anyone) that has not finished sending its request is closed to make room. A
client that sends its request at once is answered; a new connection gets 503 only when every slot
is busy answering finished requests. The header deadline (``Handler.header_seconds``) bounds the
rest.
"""
from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Any


@dataclass(eq=False)
class Conn:
    """One accepted connection: its client address, socket, and whether its request is still arriving."""

    ip: str
    sock: Any
    reading: bool = True
    since: float = field(default_factory=time.monotonic)
    shed: bool = False


class Connections:
    """Open connections, at most ``total`` at once and ``per_client`` from one address."""

    def __init__(self, total: int, per_client: int) -> None:
        if total < 1 or per_client < 1:
            raise ValueError("connection caps must be positive")
        self.total, self.per_client = total, per_client
        self._open: dict[int, Conn] = {}
        self._lock = threading.Lock()
        self.shed_count = 0

    def admit(self, sock: Any, ip: str) -> Conn | None:
        """Account a new connection, closing the oldest still-arriving one when a cap is reached;
        None (answer 503) when every slot it could take is answering a request."""
        with self._lock:
            mine = [c for c in self._open.values() if c.ip == ip]
            if len(mine) >= self.per_client and not self._shed(mine):
                return None
            if len(self._open) >= self.total and not self._shed(list(self._open.values())):
                return None
            conn = Conn(ip, sock)
            self._open[id(sock)] = conn
            return conn

    def _shed(self, candidates: list[Conn]) -> bool:
        """Close the oldest connection among candidates whose request is still arriving."""
        waiting = [c for c in candidates if c.reading]
        if not waiting:
            return False
        victim = min(waiting, key=lambda c: c.since)
        victim.shed = True
        del self._open[id(victim.sock)]
        self.shed_count += 1
        try:
            victim.sock.shutdown(socket.SHUT_RDWR)   # its thread's read ends; release() is then a no-op
        except OSError:
            pass
        return True

    def get(self, sock: Any) -> Conn | None:
        with self._lock:
            return self._open.get(id(sock))

    def set_reading(self, conn: Conn | None, reading: bool) -> None:
        """Mark a connection as sending a request (it may be shed) or as being answered (it may not)."""
        if conn is not None:
            with self._lock:
                conn.reading = reading
                if reading:
                    conn.since = time.monotonic()

    def release(self, sock: Any) -> None:
        """The connection closed."""
        with self._lock:
            conn = self._open.get(id(sock))
            if conn is not None and conn.sock is sock:
                del self._open[id(sock)]

    def __len__(self) -> int:
        with self._lock:
            return len(self._open)
