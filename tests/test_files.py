"""Files a run's processes share: written whole or not at all, by every writer alike."""

from __future__ import annotations

from pathlib import Path

import pytest
from campaign_contract._files import atomic_writer, write_atomically


def test_text_and_bytes_are_written_whole_and_no_scratch_file_stays(tmp_path: Path) -> None:
    write_atomically(tmp_path / "a.json", '{"name": "Café"}')
    write_atomically(tmp_path / "b.json", b'{"x": 1}\n')
    assert (tmp_path / "a.json").read_text(encoding="utf-8") == '{"name": "Café"}'
    assert (tmp_path / "b.json").read_bytes() == b'{"x": 1}\n'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json", "b.json"]


def test_a_write_that_fails_leaves_the_old_content_and_no_scratch_file(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_writer(target) as out:
        out.write("half")
        raise RuntimeError("the writer stopped")
    (tmp_path / "taken").mkdir()
    with pytest.raises(OSError):
        write_atomically(tmp_path / "taken", b"cannot replace a folder")
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json", "taken"]
