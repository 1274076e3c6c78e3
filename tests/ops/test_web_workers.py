"""Several web workers answer as fast as one (issue 12 item 4): the socket `loket serve`
hands its workers keeps Nagle's algorithm off on every accepted connection."""

from __future__ import annotations

import asyncio
import socket

import uvicorn

from booking.cli import server_options
from booking.settings import Settings
from tests.local_smtp import free_port


async def test_connections_to_a_worker_pool_have_nagle_off() -> None:
    """uvicorn binds the socket of a worker pool itself; asyncio sets TCP_NODELAY on an
    accepted connection only when that socket says it is TCP. Without it each keep-alive
    answer, headers and body written apart, waited for the client's delayed ACK: 44 ms
    per request at WEB_CONCURRENCY=2 against 1 ms with one worker."""
    settings = Settings.from_env({"PORT": str(free_port())})
    config = uvicorn.Config(**server_options(settings, 2))
    listening = config.bind_socket()
    accepted: asyncio.Future[int] = asyncio.get_running_loop().create_future()

    class Probe(asyncio.Protocol):
        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            sock = transport.get_extra_info("socket")
            accepted.set_result(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            transport.close()

    # What each uvicorn worker does with the socket it is handed.
    server = await asyncio.get_running_loop().create_server(Probe, sock=listening)
    try:
        _, writer = await asyncio.open_connection(*listening.getsockname()[:2])
        assert await asyncio.wait_for(accepted, 10) == 1
        writer.close()
    finally:
        server.close()
        await server.wait_closed()
