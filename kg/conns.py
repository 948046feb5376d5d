"""Connection accounting for ``kg serve``: a cap on connections in all, a cap per client address
on connections still sending their request, and which connection gives way at a cap.

A slow client (slowloris) opens connections and sends its request a byte at a time, to hold every
connection slot. Here a connection that is still sending its request is the first to go: one
client address may have ``per_client`` such connections, and a new one from it closes its oldest;
when the server holds ``total`` connections, the oldest still-arriving connection of the address
with the most of them is closed to make room (the heaviest sender gives way first). A client that
sends its request at once is answered, however many slow connections share its address; a new
connection gets 503 only when every slot is busy answering finished requests. The header deadline
(``Handler.header_seconds``) bounds the rest.
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
    """Open connections: at most ``total`` at once, and ``per_client`` from one address still
    sending their request."""

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
            arriving = [c for c in self._open.values() if c.reading]
            mine = [c for c in arriving if c.ip == ip]
            if len(mine) >= self.per_client:
                self._shed(mine)
            elif len(self._open) >= self.total:
                if not arriving:
                    return None
                counts: dict[str, int] = {}
                for c in arriving:
                    counts[c.ip] = counts.get(c.ip, 0) + 1
                heaviest = max(counts.values())
                self._shed([c for c in arriving if counts[c.ip] == heaviest])
            conn = Conn(ip, sock)
            self._open[id(sock)] = conn
            return conn

    def _shed(self, candidates: list[Conn]) -> None:
        """Close the oldest of these still-arriving connections."""
        victim = min(candidates, key=lambda c: c.since)
        victim.shed = True
        del self._open[id(victim.sock)]
        self.shed_count += 1
        try:
            victim.sock.shutdown(socket.SHUT_RDWR)   # its thread's read ends; release() is then a no-op
        except OSError:
            pass

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
