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


START_FAILURES = {  # case: (--host, whether the port is taken first, what the one line says)
    "port-in-use": ("127.0.0.1", True, "port {port} is already in use"),
    "host-that-does-not-resolve": ("no-such-host.invalid", False, "cannot be resolved"),
    "address-not-of-this-machine": ("192.0.2.7", False, "192.0.2.7 is not an address of this machine"),
}


@pytest.mark.parametrize("case", list(START_FAILURES))
def test_a_dashboard_that_cannot_start_says_so_before_printing_an_address(case):
    """One line, exit status 2, and no "Dashboard at" address promised that nothing serves."""
    import socket

    host, taken, expected = START_FAILURES[case]
    port = free_port()
    with socket.socket() as holder:
        if taken:
            holder.bind(("127.0.0.1", port))
            holder.listen(1)
        done = subprocess.run([sys.executable, str(ROOT / "run.py"), "dashboard", "--host", host, "--port", str(port)],
                              capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "Dashboard at" not in done.stdout, (done.stdout, done.stderr)
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and expected.format(port=port) in lines[0], done.stderr
