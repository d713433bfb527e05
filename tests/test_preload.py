"""Imports done ahead in a thread (``campaign_contract._lazy.preload``)."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest
from campaign_contract._lazy import preload


def test_the_modules_are_imported_in_a_daemon_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "preload_first.py").write_text(
        "import threading\nBY = threading.current_thread().name\n"
    )
    (tmp_path / "preload_second.py").write_text("VALUE = 2\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in ("preload_first", "preload_second"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    thread = preload("preload_first", "preload_second")
    assert thread.daemon
    thread.join(timeout=30)
    assert sys.modules["preload_first"].BY == thread.name != "MainThread"
    assert sys.modules["preload_second"].VALUE == 2


def test_a_failing_import_stops_the_thread_quietly_and_fails_again_where_it_is_needed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "preload_broken.py").write_text("raise RuntimeError('disk on fire')\n")
    (tmp_path / "preload_after.py").write_text("VALUE = 3\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in ("preload_broken", "preload_after"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    errors: list[object] = []
    monkeypatch.setattr("threading.excepthook", errors.append)
    preload("preload_broken", "preload_after").join(timeout=30)
    assert errors == [] and "preload_after" not in sys.modules
    with pytest.raises(RuntimeError, match="disk on fire"):
        importlib.import_module("preload_broken")
