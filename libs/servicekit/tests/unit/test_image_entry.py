"""The image's entry point and HEALTHCHECK (deploy/docker/Dockerfile has no shell for them)."""

import http.server
import socket
import threading

import pytest
from servicekit import launch, probe


class _Health(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200 if self.path == "/health/live" else 503)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def health_server():
    server = http.server.HTTPServer(("127.0.0.1", 0), _Health)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_the_probe_passes_on_a_live_server_and_fails_otherwise(health_server, monkeypatch):
    monkeypatch.setenv("ASN_PORT", str(health_server))
    assert probe.main() == 0
    assert not probe.live(health_server, path="/health/ready"), "a 503 is not healthy"
    monkeypatch.setenv("ASN_PORT", str(_closed_port()))
    assert probe.main() == 1


def test_launch_runs_the_named_module_or_the_images_package():
    assert launch.module_to_run(["launch", "pegawai.seed"], {"ASN_MODULE": "pegawai"}) == (
        "pegawai.seed"
    )
    assert launch.module_to_run(["launch"], {"ASN_MODULE": "pegawai"}) == "pegawai"
    with pytest.raises(SystemExit, match="ASN_MODULE"):
        launch.module_to_run(["launch"], {})
