"""A userspace UDP relay on 127.0.0.1 that impairs each direction of a call separately.

The remote peer is given the relay's *front* address in place of the customer's
host candidate. Every remote source address seen on the front gets its own *back*
socket, from which packets go on to the customer; the customer therefore learns the
remote as a peer-reflexive candidate at that back address, and replies through it.
Customer → remote is the uplink, remote → customer the downlink.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from dataclasses import dataclass, field

from rtcdesk.lab.schedule import DirectionPipeline

Address = tuple[str, int]
LOOPBACK = "127.0.0.1"
_MAX_DATAGRAM = 65_535


@dataclass
class _Leg:
    """One customer candidate: its front socket and the back sockets towards it."""

    customer: Address
    front: socket.socket
    backs: dict[Address, socket.socket] = field(default_factory=dict)


class UdpRelay:
    """Forward and impair UDP between a customer and a remote peer, all on loopback."""

    def __init__(
        self,
        uplink: DirectionPipeline,
        downlink: DirectionPipeline,
        loop: asyncio.AbstractEventLoop,
    ) -> None:
        self.uplink = uplink
        self.downlink = downlink
        self._loop = loop
        self._t0 = loop.time()
        self._legs: dict[Address, _Leg] = {}
        self._sockets: list[socket.socket] = []
        self.stray_packets = 0

    def start_clock(self) -> None:
        """Make 'now' scenario time zero for the impairment schedule."""
        self._t0 = self._loop.time()

    def now(self) -> float:
        """Seconds since the scenario clock started."""
        return self._loop.time() - self._t0

    def front_port(self, customer: Address) -> int:
        """The relay port that stands in for a customer host candidate (created on demand)."""
        if customer[0] != LOOPBACK:
            raise ValueError(f"refusing to relay to a non-loopback address {customer[0]}")
        leg = self._legs.get(customer)
        if leg is None:
            front = self._open()
            leg = _Leg(customer, front)
            self._legs[customer] = leg
            self._loop.add_reader(front.fileno(), self._on_front, leg)
        port: int = leg.front.getsockname()[1]
        return port

    def back_port(self, remote: Address) -> int:
        """The relay port that stands in for a remote host candidate, towards the customer."""
        if remote[0] != LOOPBACK:
            raise ValueError(f"refusing to relay to a non-loopback address {remote[0]}")
        if not self._legs:
            raise ValueError("no customer candidate is relayed yet")
        leg = next(iter(self._legs.values()))
        port: int = self._back(leg, remote).getsockname()[1]
        return port

    def close(self) -> None:
        """Stop reading and close every socket."""
        for sock in self._sockets:
            with contextlib.suppress(ValueError, OSError):
                self._loop.remove_reader(sock.fileno())
            sock.close()
        self._sockets.clear()
        self._legs.clear()

    def _open(self) -> socket.socket:
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.setblocking(False)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 * 1024 * 1024)
        sock.bind((LOOPBACK, 0))
        self._sockets.append(sock)
        return sock

    def _on_front(self, leg: _Leg) -> None:
        """Remote → customer (downlink)."""
        for data, src in _drain(leg.front):
            if src == leg.customer or src[0] != LOOPBACK:
                self.stray_packets += 1
                continue
            self._forward(self.downlink, data, self._back(leg, src), leg.customer)

    def _back(self, leg: _Leg, remote: Address) -> socket.socket:
        back = leg.backs.get(remote)
        if back is None:
            back = self._open()
            leg.backs[remote] = back
            self._loop.add_reader(back.fileno(), self._on_back, leg, remote, back)
        return back

    def _on_back(self, leg: _Leg, remote: Address, back: socket.socket) -> None:
        """Customer → remote (uplink)."""
        for data, src in _drain(back):
            if src != leg.customer:
                self.stray_packets += 1
                continue
            self._forward(self.uplink, data, leg.front, remote)

    def _forward(
        self, pipe: DirectionPipeline, data: bytes, sock: socket.socket, dest: Address
    ) -> None:
        now = self.now()
        when = pipe.process(now, len(data))
        if when is None:
            return
        if when <= now:
            _send(sock, data, dest)
        else:
            self._loop.call_at(self._t0 + when, _send, sock, data, dest)


def _drain(sock: socket.socket) -> list[tuple[bytes, Address]]:
    out: list[tuple[bytes, Address]] = []
    while True:
        try:
            data, src = sock.recvfrom(_MAX_DATAGRAM)
        except (BlockingIOError, InterruptedError):
            return out
        except OSError:
            return out  # e.g. ICMP port unreachable reported on the socket
        out.append((data, (src[0], src[1])))


def _send(sock: socket.socket, data: bytes, dest: Address) -> None:
    if sock.fileno() < 0:
        return  # closed during shutdown while a delayed packet was pending
    with contextlib.suppress(OSError):  # a full socket buffer behaves like a lost packet
        sock.sendto(data, dest)
