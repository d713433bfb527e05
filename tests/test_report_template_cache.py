"""report.html's templates are compiled once per user and machine, not on every run, and a
cache that cannot be used never stops a report."""

from __future__ import annotations

import tempfile
from pathlib import Path

import jinja2
import pytest
from campaign_contract.report import _html


@pytest.fixture
def private_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return tmp_path


def _bucket(environment: jinja2.Environment) -> jinja2.bccache.Bucket:
    bucket = jinja2.bccache.Bucket(environment, "report-key", "checksum")
    bucket.code = compile("x = 1", "<template>", "exec")
    return bucket


def test_compiled_templates_are_kept_in_a_directory_private_to_the_user(
    private_temp: Path,
) -> None:
    cache = _html._compiled_templates()
    assert cache is not None
    environment = jinja2.Environment(bytecode_cache=cache)
    cache.dump_bytecode(_bucket(environment))
    (directory,) = private_temp.iterdir()
    assert directory.stat().st_mode & 0o777 == 0o700
    again = jinja2.bccache.Bucket(environment, "report-key", "checksum")
    cache.load_bytecode(again)
    assert again.code is not None


def test_a_cache_that_cannot_be_written_or_read_compiles_as_if_there_were_none(
    private_temp: Path,
) -> None:
    cache = _html._compiled_templates()
    assert isinstance(cache, jinja2.FileSystemBytecodeCache)
    cache.directory = str(private_temp / "gone")
    environment = jinja2.Environment(bytecode_cache=cache)
    cache.dump_bytecode(_bucket(environment))  # no error
    (private_temp / "gone").mkdir()
    (private_temp / "gone" / (cache.pattern % "report-key")).mkdir()  # unreadable: a directory
    bucket = jinja2.bccache.Bucket(environment, "report-key", "checksum")
    cache.load_bytecode(bucket)
    assert bucket.code is None


def test_no_private_directory_means_no_cache(
    private_temp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unsafe(self: jinja2.FileSystemBytecodeCache) -> str:
        raise RuntimeError("Cannot determine safe temp directory")

    monkeypatch.setattr(jinja2.FileSystemBytecodeCache, "_get_default_cache_dir", unsafe)
    assert _html._compiled_templates() is None
