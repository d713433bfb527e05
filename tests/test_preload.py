"""Imports done ahead in a thread (``campaign_contract._lazy.preload``)."""

from __future__ import annotations

import importlib
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from campaign_contract._lazy import preload

NAMES = ("preload_first", "preload_second", "preload_broken", "preload_after")


@pytest.fixture
def modules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A folder on ``sys.path`` for the test's modules, which leave ``sys.modules`` after it."""
    monkeypatch.syspath_prepend(str(tmp_path))
    yield tmp_path
    for name in NAMES:
        sys.modules.pop(name, None)


def _joined(thread: threading.Thread) -> threading.Thread:
    thread.join(timeout=30)
    assert not thread.is_alive()
    return thread


def test_the_modules_are_imported_in_a_daemon_thread(modules: Path) -> None:
    (modules / "preload_first.py").write_text(
        "import threading\nBY = threading.current_thread().name\n"
    )
    (modules / "preload_second.py").write_text("VALUE = 2\n")
    thread = _joined(preload("preload_first", "preload_second"))
    assert thread.daemon
    assert sys.modules["preload_first"].BY == thread.name != "MainThread"
    assert sys.modules["preload_second"].VALUE == 2


def test_a_failing_import_is_left_to_where_it_is_needed_and_the_next_still_loads(
    modules: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (modules / "preload_broken.py").write_text("raise RuntimeError('disk on fire')\n")
    (modules / "preload_after.py").write_text("VALUE = 3\n")
    errors: list[object] = []
    monkeypatch.setattr("threading.excepthook", errors.append)
    _joined(preload("preload_broken", "preload_after"))
    assert errors == [] and sys.modules["preload_after"].VALUE == 3
    assert "preload_broken" not in sys.modules
    with pytest.raises(RuntimeError, match="disk on fire"):
        importlib.import_module("preload_broken")
