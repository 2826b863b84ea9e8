"""A small TCP proxy for the drill's network faults: added latency and connection resets.

It forwards a local port to an upstream address (the broker's listener for the services),
each direction with its own added latency, and `reset_all()` cuts every open connection
with SO_LINGER 0, so both peers see a TCP RST, as a NAT or firewall dropping its state
would do. Our own rather than toxiproxy: that would need a Go toolchain and a download at
every drill from a clean clone, for two toxics of ~150 lines.

It runs its own event loop in a thread: the suite's services talk to Kafka through it from
before the drill's loop starts, and a drill step that blocks that loop (a set-up call, a
slow check) must not stall the services' traffic. The control methods are thread-safe.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import struct
import threading
from dataclasses import dataclass, field

CHUNK = 64 * 1024


@dataclass(eq=False)  # kept in a set by identity
class _Connection:
    writers: tuple[asyncio.StreamWriter, asyncio.StreamWriter]
    tasks: list[asyncio.Task[None]] = field(default_factory=list)

    def reset(self) -> None:
        """Close both sockets with SO_LINGER 0: the kernel sends RST, not FIN."""
        for writer in self.writers:
            sock = writer.get_extra_info("socket")
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            writer.transport.abort()
        for task in self.tasks:
            task.cancel()


class TcpProxy:
    """`127.0.0.1:<port>` → `upstream`, with per-direction latency and a reset action."""

    def __init__(self, upstream: tuple[str, int], port: int = 0, host: str = "127.0.0.1") -> None:
        self.upstream = upstream
        self.host = host
        self.port = port
        self.upstream_latency_s = 0.0
        """Added to every chunk from the client to the upstream."""
        self.downstream_latency_s = 0.0
        """Added to every chunk from the upstream back to the client."""
        self.resets = 0
        """Connections cut by `reset_all()` so far."""
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: asyncio.Server | None = None
        self._connections: set[_Connection] = set()
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None

    # Control, from any thread

    def start(self) -> TcpProxy:
        self._thread = threading.Thread(target=self._run, name="drill-tcp-proxy", daemon=True)
        self._thread.start()
        self._ready.wait()
        if self._error is not None:
            raise self._error
        return self

    def stop(self) -> None:
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        asyncio.run_coroutine_threadsafe(self._shutdown(), loop).result(timeout=10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        self._loop = self._thread = None

    def set_latency(self, upstream_s: float = 0.0, downstream_s: float = 0.0) -> None:
        # Plain float stores: the proxy's loop reads them per chunk, no lock needed.
        self.upstream_latency_s = upstream_s
        self.downstream_latency_s = downstream_s

    def reset_all(self) -> int:
        """Cut every open connection now (RST both ways); returns how many were cut."""
        assert self._loop is not None, "the proxy is not running"
        future = asyncio.run_coroutine_threadsafe(self._reset_all(), self._loop)
        return future.result(timeout=10)

    @property
    def open_connections(self) -> int:
        return len(self._connections)

    def __enter__(self) -> TcpProxy:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()

    # The proxy's own loop

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            self._server = loop.run_until_complete(
                asyncio.start_server(self._accept, self.host, self.port)
            )
            self.port = self._server.sockets[0].getsockname()[1]
        except BaseException as exc:
            self._error = exc
            self._ready.set()
            loop.close()
            return
        self._ready.set()
        try:
            loop.run_forever()
        finally:
            loop.close()

    async def _shutdown(self) -> None:
        if self._server is not None:
            self._server.close()
        await self._reset_all(count=False)

    async def _reset_all(self, *, count: bool = True) -> int:
        cut = list(self._connections)
        self._connections.clear()
        for connection in cut:
            connection.reset()
        if count:
            self.resets += len(cut)
        return len(cut)

    async def _accept(self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        try:
            upstream_r, upstream_w = await asyncio.open_connection(*self.upstream)
        except OSError:
            # Nothing behind us (a broker that is down): the client sees its connection end.
            client_w.transport.abort()
            return
        connection = _Connection((client_w, upstream_w))
        self._connections.add(connection)
        up = asyncio.create_task(self._pipe(client_r, upstream_w, upstream=True))
        down = asyncio.create_task(self._pipe(upstream_r, client_w, upstream=False))
        connection.tasks = [up, down]
        await asyncio.wait(connection.tasks, return_when=asyncio.FIRST_COMPLETED)
        # One side closed: close the other too (Kafka's protocol never half-closes).
        self._connections.discard(connection)
        for task in connection.tasks:
            task.cancel()
        await asyncio.gather(*connection.tasks, return_exceptions=True)
        for writer in connection.writers:
            writer.close()

    async def _pipe(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, *, upstream: bool
    ) -> None:
        """Copy one direction; each chunk is held until its own arrival + latency, so the
        delay adds to every chunk without slowing the stream's throughput (a pipe that
        slept before each write would add the latency once per chunk in a row)."""
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()

        async def deliver() -> None:
            while True:
                due, data = await queue.get()
                if not data:
                    return
                wait = due - loop.time()
                if wait > 0:
                    await asyncio.sleep(wait)
                writer.write(data)
                await writer.drain()

        sender = asyncio.create_task(deliver())
        try:
            while True:
                try:
                    data = await reader.read(CHUNK)
                except OSError:
                    data = b""
                latency = self.upstream_latency_s if upstream else self.downstream_latency_s
                queue.put_nowait((loop.time() + latency, data))
                if not data:
                    break
            await sender
        finally:
            sender.cancel()
            await asyncio.gather(sender, return_exceptions=True)
