"""The garbage collector runs between requests in gunicorn workers (forum.collector, gunicorn.conf.py)."""
from __future__ import annotations

import gc
import io
import json
import subprocess
import sys
import time
import urllib.request
import weakref
from pathlib import Path

import pytest

from forum.collector import CollectBetweenRequests, collect_if_due
from tests.browser_fixtures import free_port

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def collector_off():
    """Automatic collection off, as in a worker; the process's own setting back afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    gc.collect()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class Cycle:
    def __init__(self):
        self.me = self


class Plain:
    """A new tracked object each time (lists and tuples come from free lists, which the counts don't see)."""


def test_it_collects_the_generation_cpython_would(collector_off):
    seen = []
    for _ in range(16):
        keep = [Plain() for _ in range(50)]  # more new tracked objects than the young threshold below
        seen.append(collect_if_due((10, 2, 2)))
        del keep
    # Young collections, a middle one after every third, a full one as soon as the middle ones pass theirs.
    assert seen == [0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 2, 0, 0, 0]


def test_nothing_is_collected_before_enough_is_new(collector_off):
    gc.collect()
    assert collect_if_due((10_000, 10, 10)) is None


def test_garbage_made_by_a_request_is_collected_once_the_response_is_closed(collector_off):
    made = []

    def app(environ, start_response):
        cycle = Cycle()
        made.append(weakref.ref(cycle))
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"kept until the response closes"]

    wrapped = CollectBetweenRequests(app, thresholds=(0, 10, 10))
    response = wrapped({}, lambda status, headers: None)
    assert b"".join(response) == b"kept until the response closes"
    assert made[0]() is not None  # a cycle: only the collector frees it, and it hasn't run yet
    response.close()
    assert made[0]() is None


def test_a_file_the_server_can_send_itself_is_left_unwrapped(collector_off):
    class ServersFileWrapper:  # what a server offers as environ["wsgi.file_wrapper"] (gunicorn: sendfile)
        def __init__(self, file, block_size=8192):
            self.file = file

        def __iter__(self):
            return iter([self.file.read()])

    def app(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/css")])
        return environ["wsgi.file_wrapper"](io.BytesIO(b"body { margin: 0 }"))

    result = CollectBetweenRequests(app)({"wsgi.file_wrapper": ServersFileWrapper}, lambda status, headers: None)
    assert isinstance(result, ServersFileWrapper)


WORKER_APP = """
import gc

def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "application/json")])
    return [('{"enabled": %s, "frozen": %d}' % (str(gc.isenabled()).lower(), gc.get_freeze_count())).encode()]
"""


def test_gunicorn_workers_started_here_collect_between_requests(tmp_path):
    (tmp_path / "probe_app.py").write_text(WORKER_APP)
    port = free_port()
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-w", "1", "-b", f"127.0.0.1:{port}",
         "--pythonpath", str(tmp_path), "probe_app:app"], cwd=REPO, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(
                        f"http://127.0.0.1:{port}/", timeout=5) as answer:
                    state = json.loads(answer.read())
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.2)
    finally:
        server.terminate()
        server.wait(timeout=30)
    # gunicorn read gunicorn.conf.py from the repository: collection off while answering, the app frozen.
    assert state == {"enabled": False, "frozen": state["frozen"]} and state["frozen"] > 1000
