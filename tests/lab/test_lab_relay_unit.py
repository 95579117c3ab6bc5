"""The UDP relay on loopback, with plain sockets standing in for the two browsers."""

from __future__ import annotations

import asyncio
import socket

import pytest

from rtcdesk.lab.relay import UdpRelay
from rtcdesk.lab.scenario import parse_scenario
from rtcdesk.lab.schedule import DirectionPipeline


def _udp() -> socket.socket:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    s.setblocking(False)
    return s


async def _recv(sock: socket.socket, timeout: float = 1.0) -> tuple[bytes, tuple[str, int]]:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        try:
            data, addr = sock.recvfrom(2048)
            return data, (addr[0], addr[1])
        except BlockingIOError:
            await asyncio.sleep(0.002)
    raise TimeoutError


def _relay(text: str) -> UdpRelay:
    sc = parse_scenario(text)
    return UdpRelay(
        DirectionPipeline(sc.for_direction("uplink"), sc.seed, "uplink"),
        DirectionPipeline(sc.for_direction("downlink"), sc.seed, "downlink"),
        asyncio.get_running_loop(),
    )


def test_both_directions_cross_the_relay_and_are_counted() -> None:
    async def scenario() -> None:
        relay = _relay("name: r\nimpairments: [{kind: delay, direction: downlink, ms: 50}]")
        customer, remote = _udp(), _udp()
        try:
            front = relay.front_port(customer.getsockname())
            back = relay.back_port(remote.getsockname())
            relay.start_clock()
            # remote -> customer arrives from the back port, 50 ms late
            t0 = asyncio.get_running_loop().time()
            remote.sendto(b"down", ("127.0.0.1", front))
            data, src = await _recv(customer)
            assert data == b"down"
            assert src == ("127.0.0.1", back)
            assert asyncio.get_running_loop().time() - t0 >= 0.045
            # customer -> remote goes out through the front port, undelayed
            customer.sendto(b"up", src)
            data, src = await _recv(remote)
            assert (data, src) == (b"up", ("127.0.0.1", front))
            assert relay.uplink.counters.packets_in == 1
            assert relay.downlink.counters.packets_out == 1
            assert relay.stray_packets == 0
        finally:
            relay.close()
            customer.close()
            remote.close()

    asyncio.run(scenario())


def test_blocked_direction_drops_and_strangers_are_ignored() -> None:
    async def scenario() -> None:
        relay = _relay("name: r\nimpairments: [{kind: block, direction: uplink}]")
        customer, remote, stranger = _udp(), _udp(), _udp()
        try:
            front = relay.front_port(customer.getsockname())
            back = relay.back_port(remote.getsockname())
            relay.start_clock()
            customer.sendto(b"up", ("127.0.0.1", back))
            with pytest.raises(TimeoutError):
                await _recv(remote, 0.2)
            assert relay.uplink.counters.dropped_outage == 1
            stranger.sendto(b"hi", ("127.0.0.1", back))  # not the customer: not forwarded
            with pytest.raises(TimeoutError):
                await _recv(remote, 0.2)
            assert relay.stray_packets == 1
            assert front != back
        finally:
            relay.close()
            for s in (customer, remote, stranger):
                s.close()

    asyncio.run(scenario())


def test_refuses_non_loopback_addresses() -> None:
    async def scenario() -> None:
        relay = _relay("name: r")
        try:
            with pytest.raises(ValueError, match="non-loopback"):
                relay.front_port(("192.0.2.1", 5000))
        finally:
            relay.close()

    asyncio.run(scenario())
