"""The embedded mock of getAllCampaignDetails: HTTP over SQLite, with named faults."""

from __future__ import annotations

from ._command import add_mock_arguments, list_faults, run_mock
from ._data import DEFAULT_CAMPAIGNS, MockDataError, generate, load
from ._faults import AREAS, FAULTS, Fault, UnknownFaultError, check_faults, fault_names
from ._server import (
    DEFAULT_ACCOUNT_ID,
    DEFAULT_APP_ID,
    DEFAULT_TOKEN,
    MAX_BODY,
    MockServer,
    start_mock,
)

__all__ = [
    "AREAS",
    "DEFAULT_ACCOUNT_ID",
    "DEFAULT_APP_ID",
    "DEFAULT_CAMPAIGNS",
    "DEFAULT_TOKEN",
    "FAULTS",
    "MAX_BODY",
    "Fault",
    "MockDataError",
    "MockServer",
    "UnknownFaultError",
    "add_mock_arguments",
    "check_faults",
    "fault_names",
    "generate",
    "list_faults",
    "load",
    "run_mock",
    "start_mock",
]
