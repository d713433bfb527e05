"""Fixtures shared by the toolkit's tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from client_stub import StubServer


@pytest.fixture
def server() -> Iterator[StubServer]:
    """The client tests' scripted loopback server, stopped after the test."""
    stub = StubServer().start()
    yield stub
    stub.stop()
