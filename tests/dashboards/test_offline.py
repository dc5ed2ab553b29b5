"""The installed dashboard works with no network at all: served and browsed inside a network
namespace where only loopback is up (``unshare -n``), so any asset fetched from the internet fails."""

import json
import os
import subprocess
import sys
from pathlib import Path

PROBE = Path(__file__).with_name("offline_probe.py")


def test_every_page_loads_with_no_network(results_root):
    command = f"ip link set lo up && exec {sys.executable} {PROBE}"
    done = subprocess.run(["unshare", "--net", "--", "sh", "-c", command], capture_output=True, text=True, timeout=600,
                          env={**os.environ, "REINTEGRATION_RESULTS_ROOT": str(results_root)})
    assert done.returncode == 0, done.stderr[-4000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["interfaces"] == ["lo"]  # no way out of this machine
    assert report["outside"] == [] and report["failed"] == []
    charts = {name: page["charts"] for name, page in report["pages"].items()}
    assert charts == {"compare": 2, "workshop": 0, "network": 2, "experiments": 2}
    assert all("never for assessing real people" in page["note"] for page in report["pages"].values())
