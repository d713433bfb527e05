"""The embedded mock of getAllCampaignDetails: HTTP over SQLite, with named faults."""

from __future__ import annotations

from campaign_contract.mock._data import DEFAULT_CAMPAIGNS, MockDataError, generate, load
from campaign_contract.mock._faults import (
    AREAS,
    FAULTS,
    Fault,
    UnknownFaultError,
    check_faults,
    fault_names,
)
from campaign_contract.mock._server import (
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
    "check_faults",
    "fault_names",
    "generate",
    "load",
    "start_mock",
]
