"""The orphan check (``tests/orphans.py``) fails a session that leaves a process running, and passes one that
does not; run as inner pytest sessions."""

from __future__ import annotations

from pathlib import Path

import pytest

LEAVES = '''
import subprocess, sys

def test_starts_a_process(tmp_path):
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)"], start_new_session=True)
    (tmp_path.parent / "pid").write_text(str(child.pid)) if {leave} else child.kill() or child.wait()
'''


@pytest.mark.parametrize("leave", [True, False], ids=["left-running", "stopped"])
def test_a_process_left_running_fails_the_session(pytester, monkeypatch, leave):
    monkeypatch.setenv("PYTHONPATH", str(Path(__file__).parent))
    pytester.makeconftest('pytest_plugins = ["orphans"]\n')
    pytester.makepyfile(test_inner=LEAVES.format(leave=leave))
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:xdist")
    if leave:
        result.stdout.fnmatch_lines(["*processes outlived the test session (killed now)*time.sleep(300)*"])
        assert result.ret == pytest.ExitCode.TESTS_FAILED
    else:
        assert result.ret == pytest.ExitCode.OK and "outlived" not in result.stdout.str()
