"""nginx in front of the load command's servers: the generated configuration (pure), the
command-line spelling, pacing, and a short real run behind nginx when nginx is installed."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest

from compare.load import cli, proxy
from compare.load.client import Connection, request_bytes
from compare.load.generator import Plan, run
from compare.load.proxy import NginxSettings, deployed, for_server, nginx_config, split
from compare.load.servers import HOST, ServerError
from compare.load.traffic import Spec
from resources_fw.core.wsgi import StartResponse, WSGIEnvironment

# -- the configuration ----------------------------------------------------------------------


def test_the_config_buffers_and_carries_every_limit(tmp_path: Path) -> None:
    text = nginx_config(8081, 9091, tmp_path)
    for line in (
        "listen 127.0.0.1:8081;",
        "server 127.0.0.1:9091;",
        "proxy_request_buffering on;",
        "proxy_buffering on;",
        "client_header_buffer_size 1k;",
        "large_client_header_buffers 4 8k;",
        "client_max_body_size 1m;",
        "client_body_timeout 10s;",
        "client_header_timeout 10s;",
        "keepalive 16;",
        "keepalive_timeout 1s;",
        'proxy_set_header Connection "";',
        "proxy_http_version 1.1;",
        "daemon off;",
        f"pid {tmp_path}/nginx.pid;",
        f"client_body_temp_path {tmp_path}/client_body;",
    ):
        assert line in text, line
    assert text.count("{") == text.count("}")
    assert "0.0.0.0" not in text
    assert "listen 80" not in text


def test_the_config_follows_the_settings(tmp_path: Path) -> None:
    settings = NginxSettings(
        client_max_body_size="64k",
        large_header_buffers=2,
        large_header_size="16k",
        client_body_timeout="3s",
        upstream_keepalive=4,
    )
    text = nginx_config(1, 2, tmp_path, settings, user_line="user nobody;\n")
    assert text.startswith("user nobody;\n")
    for line in (
        "client_max_body_size 64k;",
        "large_client_header_buffers 2 16k;",
        "client_body_timeout 3s;",
        "keepalive 4;",
    ):
        assert line in text, line


def test_no_upstream_keepalive_in_front_of_gunicorn(tmp_path: Path) -> None:
    gunicorn = nginx_config(1, 2, tmp_path, for_server("gunicorn-gthread"))
    assert "keepalive 16;" not in gunicorn
    assert "keepalive_timeout 1s;" not in gunicorn
    assert 'proxy_set_header Connection "close";' in gunicorn
    assert "keepalive 16;" in nginx_config(1, 2, tmp_path, for_server("waitress"))


# -- the command line -----------------------------------------------------------------------


def test_server_specs_with_nginx() -> None:
    assert split("gunicorn-sync+nginx") == ("gunicorn-sync", True)
    assert split("waitress") == ("waitress", False)
    mixed = cli.parse(["--servers", "waitress,gunicorn-sync+nginx"])
    assert mixed.servers == ("waitress", "gunicorn-sync+nginx")
    every = cli.parse(["--nginx", "--servers", "waitress,waitress+nginx,gunicorn-sync"])
    assert every.servers == ("waitress+nginx", "gunicorn-sync+nginx")
    with pytest.raises(SystemExit):
        cli.parse(["--servers", "waitress+haproxy"])


def test_soak_options() -> None:
    soak = cli.parse(["--duration", "1800", "--warmup", "300", "--baseline", "60", "--rate", "5"])
    assert (soak.duration, soak.warmup, soak.baseline_duration, soak.rate) == (1800, 300, 60, 5)
    assert cli.parse(["--duration", "7"]).baseline_duration == 7
    with pytest.raises(SystemExit):
        cli.parse(["--duration", "4000"])
    with pytest.raises(SystemExit):
        cli.parse(["--rate", "-1"])


def test_the_slow_client_bar_applies_to_the_documented_deployments() -> None:
    assert cli.slow_bar_applies("waitress")
    assert cli.slow_bar_applies("gunicorn-sync+nginx")
    assert cli.slow_bar_applies("gunicorn-gthread+nginx")
    assert not cli.slow_bar_applies("gunicorn-sync")
    assert not cli.slow_bar_applies("gunicorn-gthread")


def test_nginx_cells_are_skipped_without_nginx(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(cli, "nginx_path", lambda: None)
    out = tmp_path / "load.json"
    argv = ["--quick", "--servers", "waitress+nginx", "--slow-clients", "2", "--json", str(out)]
    assert cli.main(argv) == 0
    assert "SKIP  waitress+nginx: nginx is not on PATH" in capsys.readouterr().out
    report = json.loads(out.read_text())
    assert (report["skipped"], report["cells"], report["slow_clients"]) == (
        ["waitress+nginx"],
        [],
        [],
    )


def test_running_nginx_without_nginx_names_the_fix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(proxy, "nginx_path", lambda: None)
    with pytest.raises(ServerError, match="apt-get install nginx"), proxy.running_nginx(1):
        pass  # pragma: no cover


# -- pacing ---------------------------------------------------------------------------------


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        return None


def _hello(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
    return [b"hi"]


@pytest.fixture
def hello_server() -> Iterator[WSGIServer]:
    server = make_server(HOST, 0, _hello, handler_class=_Quiet)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        thread.join(5)
        server.server_close()


def test_a_paced_run_never_exceeds_its_rate(hello_server: WSGIServer) -> None:
    plan = Plan((Spec("hello", request_bytes("GET", "/"), frozenset({200})),))
    port = hello_server.server_address[1]
    summary = run(plan, HOST, port, duration=0.5, concurrency=2, rate=10)
    # Pacing only ever delays a start: at most one per thread per interval (0.2 s), plus the
    # first; a slow machine sends fewer, never more.
    assert 0 < summary.requests <= 2 * (1 + 0.5 / 0.2)
    assert summary.tally.good_unexpected == 0
    with pytest.raises(ValueError, match="rate"):
        run(plan, HOST, port, duration=0.5, concurrency=1, rate=-1)


# -- a real run behind nginx (only where nginx is installed) -------------------------------

needs_nginx = pytest.mark.skipif(
    proxy.nginx_path() is None, reason="nginx is not installed (optional; CI does not need it)"
)


@needs_nginx
def test_nginx_refuses_a_huge_header_itself() -> None:
    with deployed("waitress+nginx", "resources_fw") as deployment:
        assert deployment.nginx is not None
        assert deployment.port != deployment.server.port
        connection = Connection(HOST, deployment.port)
        try:
            huge = request_bytes("GET", "/routing/users/7", [("X-Huge", "a" * 300_000)])
            reply = connection.exchange(huge)
        finally:
            connection.close()
        assert reply.status in (400, 431, 494)
        assert reply.header("Server") == "nginx"  # refused before the app server saw it
        assert "traceback" not in deployment.server.output().lower()


@needs_nginx
def test_a_short_real_run_behind_nginx(tmp_path: Path) -> None:
    """waitress behind nginx: good traffic all answered, hostile traffic all 4xx (through
    nginx, which answers some itself), and the slow-client probe answered. No timing."""
    out = tmp_path / "load.json"
    cli.main(
        [
            "--quick",
            "--servers",
            "waitress+nginx",
            "--front-ends",
            "globals_fw",
            "--slow-clients",
            "4",
            "--json",
            str(out),
        ]
    )
    report = json.loads(out.read_text())
    [result] = report["cells"]
    assert result["server"] == "waitress+nginx"
    bars = {b["name"]: b for b in result["bars"]}
    for name in (
        "good traffic: zero 5xx",
        "good traffic: zero socket errors",
        "good traffic: expected status",
        "hostile traffic gets 4xx",
    ):
        assert bars[name]["passed"], (name, bars[name]["detail"], result["mixed"]["tally"])
    assert result["series"]
    assert "nginx_rss_kib" in result["series"][0]
    [slow] = report["slow_clients"]
    assert slow["bar"]
    assert slow["connected"] == 4
