"""Several app servers behind one Redis: they share rate limits, as a popular install needs."""
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(port: int, process: subprocess.Popen, seconds: float = 60) -> None:
    # An app server starts in ~3 s alone, but far slower beside parallel test workers (make test runs three).
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server on {port} exited: {process.stderr.read().decode()[-2000:]}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"server on {port} did not start")


@pytest.fixture
def two_servers(database_url):
    redis_url = os.environ.get("TEST_REDIS_URL")
    if not redis_url:
        pytest.skip("Redis run skipped: set TEST_REDIS_URL (bash .ci/run does) to run it")
    env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": redis_url,
           "RATELIMIT_KEY_PREFIX": f"kindred-test-{uuid.uuid4().hex}", "FLASK_CONFIG": "development"}
    ports = [free_port(), free_port()]
    servers = [subprocess.Popen([sys.executable, "-m", "flask", "--app", "forum", "run", "--port", str(port)],
                                cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
               for port in ports]
    try:
        for port, server in zip(ports, servers, strict=True):
            wait_until_up(port, server)
        yield ports
    finally:
        for server in servers:
            server.terminate()
            server.communicate(timeout=10)  # reads the rest of its log and closes the pipe


def status_of_login_attempt(port: int, username: str = "x") -> int:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/login",
                                     data=f"username={username}&password=y".encode())
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_two_app_servers_count_sign_in_attempts_together(two_servers):
    """The limit is 20 attempts in 10 minutes from one address; alternating servers must not double it.
    (Each attempt names another account: one account has a tighter limit of its own, tests/test_login_limits.py.)"""
    statuses = [status_of_login_attempt(two_servers[i % 2], f"nobody_{i}") for i in range(21)]
    assert statuses[:20] == [200] * 20
    assert statuses[20] == 429
