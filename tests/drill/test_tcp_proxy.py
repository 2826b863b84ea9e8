"""The drill's TCP proxy against a local echo server: it forwards, delays and resets."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest
from tcp_proxy import TcpProxy


class EchoServer:
    """Echoes every byte back; remembers how each of its connections ended."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port: int = self.sock.getsockname()[1]
        self.endings: list[str] = []
        self.ended = threading.Condition()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        ending = "eof"
        with conn:
            try:
                while data := conn.recv(65536):
                    conn.sendall(data)
            except ConnectionResetError:
                ending = "reset"
        with self.ended:
            self.endings.append(ending)
            self.ended.notify_all()

    def wait_for_endings(self, n: int) -> list[str]:
        with self.ended:
            assert self.ended.wait_for(lambda: len(self.endings) >= n, timeout=10)
            return list(self.endings)


@pytest.fixture
def echo() -> Iterator[EchoServer]:
    server = EchoServer()
    yield server
    server.sock.close()


@pytest.fixture
def proxy(echo: EchoServer) -> Iterator[TcpProxy]:
    with TcpProxy(("127.0.0.1", echo.port)) as running:
        yield running


def _connect(proxy: TcpProxy) -> socket.socket:
    return socket.create_connection(("127.0.0.1", proxy.port), timeout=10)


def _round_trip(sock: socket.socket, payload: bytes) -> bytes:
    sock.sendall(payload)
    received = b""
    while len(received) < len(payload):
        chunk = sock.recv(65536)
        assert chunk, "the connection ended before the echo came back"
        received += chunk
    return received


def test_bytes_pass_through_both_ways_unchanged(proxy: TcpProxy) -> None:
    payload = bytes(range(256)) * 1000  # several chunks
    with _connect(proxy) as sock:
        assert _round_trip(sock, payload) == payload
        assert _round_trip(sock, b"again") == b"again"


def test_latency_is_added_in_each_direction(proxy: TcpProxy) -> None:
    proxy.set_latency(upstream_s=0.15, downstream_s=0.1)
    with _connect(proxy) as sock:
        started = time.monotonic()
        assert _round_trip(sock, b"ping") == b"ping"
        # A lower bound only: the echo cannot come back sooner than both delays.
        assert time.monotonic() - started >= 0.25
        proxy.set_latency()
        assert _round_trip(sock, b"pong") == b"pong"


def test_reset_all_cuts_every_connection_with_an_rst_on_both_sides(
    proxy: TcpProxy, echo: EchoServer
) -> None:
    first, second = _connect(proxy), _connect(proxy)
    with first, second:
        assert _round_trip(first, b"a") == b"a"
        assert _round_trip(second, b"b") == b"b"

        assert proxy.reset_all() == 2
        assert proxy.resets == 2

        for sock in (first, second):
            with pytest.raises(ConnectionResetError):
                # A reset peer answers recv with ECONNRESET (a FIN would give b"" instead).
                sock.recv(1)
        assert echo.wait_for_endings(2) == ["reset", "reset"]

    with _connect(proxy) as again:
        assert _round_trip(again, b"after") == b"after", "new connections are served"
    assert proxy.open_connections <= 1


def test_a_client_is_cut_off_when_nothing_listens_upstream() -> None:
    with socket.create_server(("127.0.0.1", 0)) as placeholder:
        closed_port = placeholder.getsockname()[1]
    with TcpProxy(("127.0.0.1", closed_port)) as proxy, _connect(proxy) as sock:
        sock.sendall(b"x")
        try:
            ending = sock.recv(1)
        except ConnectionResetError:
            ending = b"reset"
        # Either way the client learns at once that there is no broker behind.
        assert ending in (b"", b"reset")
