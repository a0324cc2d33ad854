"""nginx in front of a server: the generated configuration (a pure function of the limits, so
that it can be tested without nginx) and a context manager that runs nginx from a temporary
directory on a loopback port, started and stopped by the load command itself.

nginx is optional: the cells that need it are skipped with a message when ``nginx`` is not on
``PATH`` (CI does not install it).
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from compare.load.servers import (
    HOST,
    STARTUP_TIMEOUT,
    Server,
    ServerError,
    free_port,
    health_answers,
    running,
)
from compare.load.servers import stop as stop_group

#: The suffix of a server name that puts nginx in front of it (``gunicorn-sync+nginx``).
NGINX_SUFFIX = "+nginx"
INSTALL_HINT = "install it (Debian: apt-get install nginx) or leave out the +nginx cells"


@dataclass(frozen=True)
class NginxSettings:
    """The limits of the generated nginx configuration.

    ``client_max_body_size`` is above the apps' own upload limit (64 KiB in the files app) so
    that the app, not nginx, answers ``413`` with its readable body; nginx still stops anything
    larger before a worker sees it. Header buffers: a request line or header line longer than
    ``large_header_size`` gets nginx's ``400`` (or ``414`` for the request line) at once.
    """

    client_max_body_size: str = "1m"
    client_body_buffer_size: str = "128k"
    client_body_timeout: str = "10s"
    client_header_timeout: str = "10s"
    client_header_buffer_size: str = "1k"
    large_header_buffers: int = 4
    large_header_size: str = "8k"
    send_timeout: str = "10s"
    keepalive_timeout: str = "15s"
    keepalive_requests: int = 10_000
    #: Idle connections nginx keeps to the app server, per nginx worker; 0: a new connection
    #: per request (what gunicorn needs, see ``for_server``).
    upstream_keepalive: int = 16
    #: Below gunicorn's ``--keep-alive`` (2 s): nginx drops an idle upstream connection before
    #: gunicorn does, so it never sends a request on a connection gunicorn is closing (a 502).
    upstream_keepalive_timeout: str = "1s"
    proxy_read_timeout: str = "30s"
    worker_processes: int = 1
    worker_connections: int = 1024


def for_server(server: str) -> NginxSettings:
    """The settings for nginx in front of ``server``.

    No upstream keep-alive in front of gunicorn: when the app answers without reading a body
    over 64 KiB (a ``413``, a ``401`` on an upload), gunicorn's gthread worker announces
    keep-alive, then closes the connection because it will not drain that much; nginx sends
    the next request on the closed connection and, for a POST (which it does not retry),
    answers ``502`` (measured: a few per thousand requests of the mixed load). Sync workers
    close every connection anyway. waitress reads whole bodies first and keeps its promise.
    """
    if server.startswith("gunicorn"):
        return NginxSettings(upstream_keepalive=0)
    return NginxSettings()


def _upstream(port: int, settings: NginxSettings) -> str:
    if not settings.upstream_keepalive:
        return f"server {HOST}:{port};"
    return (
        f"server {HOST}:{port};\n"
        f"        keepalive {settings.upstream_keepalive};\n"
        f"        keepalive_timeout {settings.upstream_keepalive_timeout};"
    )


def _user_line() -> str:
    # As root, nginx's workers would run as "nobody" and could not write the private temp
    # directory; not as root, the directive is ignored with a warning, so it is left out.
    if os.geteuid() != 0:
        return ""
    return f"user {pwd.getpwuid(os.geteuid()).pw_name};\n"


def nginx_config(
    listen_port: int,
    upstream_port: int,
    directory: Path,
    settings: NginxSettings = NginxSettings(),
    *,
    user_line: str = "",
) -> str:
    """The nginx configuration: a buffering reverse proxy on ``HOST:listen_port`` in front of
    ``HOST:upstream_port``, with every file it writes under ``directory``."""
    s, d = settings, directory
    return f"""{user_line}daemon off;
worker_processes {s.worker_processes};
pid {d}/nginx.pid;
error_log {d}/error.log warn;

events {{
    worker_connections {s.worker_connections};
}}

http {{
    access_log off;
    server_tokens off;
    client_body_temp_path {d}/client_body;
    proxy_temp_path {d}/proxy;
    fastcgi_temp_path {d}/fastcgi;
    uwsgi_temp_path {d}/uwsgi;
    scgi_temp_path {d}/scgi;

    client_header_buffer_size {s.client_header_buffer_size};
    large_client_header_buffers {s.large_header_buffers} {s.large_header_size};
    client_header_timeout {s.client_header_timeout};
    client_max_body_size {s.client_max_body_size};
    client_body_buffer_size {s.client_body_buffer_size};
    client_body_timeout {s.client_body_timeout};
    send_timeout {s.send_timeout};
    keepalive_timeout {s.keepalive_timeout};
    keepalive_requests {s.keepalive_requests};

    upstream app {{
        {_upstream(upstream_port, s)}
    }}

    server {{
        listen {HOST}:{listen_port};

        location / {{
            proxy_pass http://app;
            proxy_http_version 1.1;
            proxy_set_header Connection "{"" if s.upstream_keepalive else "close"}";
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_request_buffering on;
            proxy_buffering on;
            proxy_connect_timeout 5s;
            proxy_send_timeout {s.proxy_read_timeout};
            proxy_read_timeout {s.proxy_read_timeout};
        }}
    }}
}}
"""


def nginx_path() -> str | None:
    """Where ``nginx`` is (``PATH``, then ``/usr/sbin``, where Debian puts it), or ``None``."""
    return shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")


def split(spec: str) -> tuple[str, bool]:
    """``"gunicorn-sync+nginx"`` -> ``("gunicorn-sync", True)``."""
    if spec.endswith(NGINX_SUFFIX):
        return spec[: -len(NGINX_SUFFIX)], True
    return spec, False


@dataclass(frozen=True)
class Nginx:
    """A running nginx: its port and its directory (config, logs, pid)."""

    port: int
    directory: Path
    process: subprocess.Popen[bytes]

    def errors(self, limit: int = 2000) -> str:
        """The end of nginx's error log."""
        log = self.directory / "error.log"
        return log.read_text(errors="replace")[-limit:] if log.exists() else ""


def _wait_ready(nginx: Nginx, timeout: float = STARTUP_TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if nginx.process.poll() is not None:
            raise ServerError(f"nginx exited with {nginx.process.returncode}:\n{nginx.errors()}")
        if health_answers(nginx.port):
            return
        time.sleep(0.1)
    raise ServerError(f"nginx did not answer on port {nginx.port} within {timeout} s.")


@contextlib.contextmanager
def running_nginx(upstream_port: int, settings: NginxSettings = NginxSettings()) -> Iterator[Nginx]:
    """Run nginx in front of ``HOST:upstream_port`` on a free loopback port, from a temporary
    directory; always stop it (its whole process group)."""
    executable = nginx_path()
    if executable is None:
        raise ServerError(f"nginx is not on PATH: {INSTALL_HINT}.")
    with tempfile.TemporaryDirectory(prefix="compare-load-nginx-") as name:
        directory = Path(name)
        port = free_port()
        config = directory / "nginx.conf"
        config.write_text(
            nginx_config(port, upstream_port, directory, settings, user_line=_user_line())
        )
        with (directory / "stdout.log").open("wb") as output:
            process = subprocess.Popen(
                # -e: the startup error log too, not the system's /var/log/nginx/error.log
                [executable, "-p", name, "-c", str(config), "-e", str(directory / "error.log")],
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            try:
                nginx = Nginx(port, directory, process)
                _wait_ready(nginx)
                yield nginx
            finally:
                stop_group(process)


@dataclass(frozen=True)
class Deployment:
    """A running cell: the app server (whose processes are measured) and the port the clients
    talk to (the server's own, or nginx's in front of it)."""

    spec: str
    server: Server
    port: int
    nginx: Nginx | None


@contextlib.contextmanager
def deployed(spec: str, front_end: str, workers: int = 2) -> Iterator[Deployment]:
    """Start the server of ``spec`` (and nginx in front of it for a ``+nginx`` spec)."""
    server, proxied = split(spec)
    with running(server, front_end, workers) as handle:
        if not proxied:
            yield Deployment(spec, handle, handle.port, None)
            return
        with running_nginx(handle.port, for_server(server)) as nginx:
            yield Deployment(spec, handle, nginx.port, nginx)
