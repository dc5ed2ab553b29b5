"""``run.py dashboard``: its command line, and no worker process outliving a killed server."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from browser_helpers import ROOT, free_port

import run


def group(pgid: int) -> list[int]:
    """Live processes in a process group (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            if int(fields[2]) == pgid and fields[0] != "Z":
                found.append(int(entry.name))
    return found


def test_bad_options_are_one_line_errors(capsys):
    for argv in (["dashboard", "--port", "0"], ["dashboard", "--port", "http"]):
        with pytest.raises(SystemExit) as stopped:
            run.main(argv)
        assert stopped.value.code == 2 and "--port" in capsys.readouterr().err


def test_killing_the_server_leaves_no_worker_processes():
    server = subprocess.Popen([sys.executable, str(ROOT / "run.py"), "dashboard", "--port", str(free_port())], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, start_new_session=True)
    try:
        assert server.stdout.readline().startswith("Dashboard at http://127.0.0.1:")
        end = time.monotonic() + 60
        while len(group(server.pid)) < 4 and time.monotonic() < end:  # server, forkserver, 2 workers (+ tracker)
            time.sleep(0.2)
        assert len(group(server.pid)) >= 4
        server.send_signal(signal.SIGKILL)
        server.wait()
        end = time.monotonic() + 20
        while group(server.pid) and time.monotonic() < end:
            time.sleep(0.2)
        assert group(server.pid) == []
    finally:
        for pid in group(server.pid):
            os.kill(pid, signal.SIGKILL)
