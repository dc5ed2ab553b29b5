"""The allocator setting takes on glibc and is a harmless no-op elsewhere."""

import platform

from model import memory


def test_glibc_takes_the_thresholds_and_others_report_false():
    assert memory.keep_freed_memory() is (platform.libc_ver()[0] == "glibc")


def test_a_missing_c_library_is_reported_not_raised(monkeypatch):
    monkeypatch.setattr(memory.ctypes.util, "find_library", lambda name: "/nonexistent/libc.so")
    assert memory.keep_freed_memory() is False
