"""campaign-contract: contract tests and validation for the Get All SMS/Voice Campaigns API."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._schemas import PROFILES, Profile, schema, schema_dir
from ._validate import (
    CampaignType,
    detect_type,
    validate_error,
    validate_request,
    validate_response,
)
from ._violations import Severity, Violation, pointer

if TYPE_CHECKING:
    from ._auth import resolve_token, sign_token
    from ._captures import Document, iter_documents
    from ._client import (
        BudgetExhausted,
        CampaignClient,
        ClientError,
        RequestRefused,
        TargetUnreachable,
        ThrottleEvent,
    )
    from ._mock import FAULTS, Fault, MockServer, fault_names, start_mock
    from ._oracles import (
        PAIR_CHECKS,
        check_crawl,
        check_names,
        check_pair,
        check_same_sequence,
        metamorphic_deterministic,
        metamorphic_filter_narrows,
        metamorphic_sms_ignores_dialing_mode,
        metamorphic_sort_reverse,
        metamorphic_status_union,
        metamorphic_window_narrows,
    )
    from ._report import (
        CheckResult,
        Failure,
        Observation,
        RunRecord,
        TargetInfo,
        Totals,
        record_from_validation,
        scrub,
        validation_html,
        write_reports,
    )
    from ._settings import Settings, SettingsError, resolve_settings
    from ._validation_run import (
        DocumentResult,
        ValidationRun,
        validate_document,
        validate_inputs,
        validate_paths,
    )

# Heavier parts (HTTP client, mock, reports, oracles) load on first use, so a quick
# `campaign-contract validate` imports only what validation needs.
_LAZY: dict[str, str] = {
    "BudgetExhausted": "._client",
    "CampaignClient": "._client",
    "CheckResult": "._report",
    "ClientError": "._client",
    "Document": "._captures",
    "DocumentResult": "._validation_run",
    "FAULTS": "._mock",
    "Failure": "._report",
    "Fault": "._mock",
    "MockServer": "._mock",
    "Observation": "._report",
    "PAIR_CHECKS": "._oracles",
    "RequestRefused": "._client",
    "RunRecord": "._report",
    "Settings": "._settings",
    "SettingsError": "._settings",
    "TargetInfo": "._report",
    "TargetUnreachable": "._client",
    "ThrottleEvent": "._client",
    "Totals": "._report",
    "ValidationRun": "._validation_run",
    "check_crawl": "._oracles",
    "check_names": "._oracles",
    "check_pair": "._oracles",
    "check_same_sequence": "._oracles",
    "fault_names": "._mock",
    "iter_documents": "._captures",
    "metamorphic_deterministic": "._oracles",
    "metamorphic_filter_narrows": "._oracles",
    "metamorphic_sms_ignores_dialing_mode": "._oracles",
    "metamorphic_sort_reverse": "._oracles",
    "metamorphic_status_union": "._oracles",
    "metamorphic_window_narrows": "._oracles",
    "record_from_validation": "._report",
    "resolve_settings": "._settings",
    "resolve_token": "._auth",
    "scrub": "._report",
    "sign_token": "._auth",
    "start_mock": "._mock",
    "validate_document": "._validation_run",
    "validate_inputs": "._validation_run",
    "validate_paths": "._validation_run",
    "validation_html": "._report",
    "write_reports": "._report",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


__version__ = "0.1.0"

__all__ = [
    "FAULTS",
    "PAIR_CHECKS",
    "PROFILES",
    "BudgetExhausted",
    "CampaignClient",
    "CampaignType",
    "CheckResult",
    "ClientError",
    "Document",
    "DocumentResult",
    "Failure",
    "Fault",
    "MockServer",
    "Observation",
    "Profile",
    "RequestRefused",
    "RunRecord",
    "Settings",
    "SettingsError",
    "Severity",
    "TargetInfo",
    "TargetUnreachable",
    "ThrottleEvent",
    "Totals",
    "ValidationRun",
    "Violation",
    "__version__",
    "check_crawl",
    "check_names",
    "check_pair",
    "check_same_sequence",
    "detect_type",
    "fault_names",
    "iter_documents",
    "metamorphic_deterministic",
    "metamorphic_filter_narrows",
    "metamorphic_sms_ignores_dialing_mode",
    "metamorphic_sort_reverse",
    "metamorphic_status_union",
    "metamorphic_window_narrows",
    "pointer",
    "record_from_validation",
    "resolve_settings",
    "resolve_token",
    "schema",
    "schema_dir",
    "scrub",
    "sign_token",
    "start_mock",
    "validate_document",
    "validate_error",
    "validate_inputs",
    "validate_paths",
    "validate_request",
    "validate_response",
    "validation_html",
    "write_reports",
]
