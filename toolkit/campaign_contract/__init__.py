"""campaign-contract: contract tests and validation for the Get All SMS/Voice Campaigns API."""

from __future__ import annotations

from typing import TYPE_CHECKING

from campaign_contract._lazy import lazy_attributes
from campaign_contract.validation._schemas import PROFILES, Profile, schema, schema_dir
from campaign_contract.validation._validators import (
    CampaignType,
    detect_type,
    validate_error,
    validate_request,
    validate_response,
)
from campaign_contract.validation._violations import Severity, Violation, pointer

if TYPE_CHECKING:
    from campaign_contract._settings import Settings, SettingsError, resolve_settings
    from campaign_contract.captures._documents import Document
    from campaign_contract.captures._inputs import iter_documents
    from campaign_contract.captures._run import (
        DocumentResult,
        ValidationRun,
        validate_document,
        validate_inputs,
        validate_paths,
    )
    from campaign_contract.client._auth import resolve_token, sign_token
    from campaign_contract.client._client import (
        BudgetExhausted,
        CampaignClient,
        ClientError,
        RequestRefused,
        TargetUnreachable,
        ThrottleEvent,
    )
    from campaign_contract.mock import FAULTS, Fault, MockServer, fault_names, start_mock
    from campaign_contract.oracles import (
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
    from campaign_contract.oracles._registry import ChecksModuleError, check, load_checks_module
    from campaign_contract.report import (
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

# Heavier parts (HTTP client, mock, reports, oracles) load on first use, so a quick
# `campaign-contract validate` imports only what validation needs.
_LAZY: dict[str, str] = {
    "BudgetExhausted": "campaign_contract.client._client",
    "CampaignClient": "campaign_contract.client._client",
    "CheckResult": "campaign_contract.report",
    "ChecksModuleError": "campaign_contract.oracles._registry",
    "ClientError": "campaign_contract.client._client",
    "Document": "campaign_contract.captures._documents",
    "DocumentResult": "campaign_contract.captures._run",
    "FAULTS": "campaign_contract.mock",
    "Failure": "campaign_contract.report",
    "Fault": "campaign_contract.mock",
    "MockServer": "campaign_contract.mock",
    "Observation": "campaign_contract.report",
    "PAIR_CHECKS": "campaign_contract.oracles",
    "RequestRefused": "campaign_contract.client._client",
    "RunRecord": "campaign_contract.report",
    "Settings": "campaign_contract._settings",
    "SettingsError": "campaign_contract._settings",
    "TargetInfo": "campaign_contract.report",
    "TargetUnreachable": "campaign_contract.client._client",
    "ThrottleEvent": "campaign_contract.client._client",
    "Totals": "campaign_contract.report",
    "ValidationRun": "campaign_contract.captures._run",
    "check": "campaign_contract.oracles._registry",
    "check_crawl": "campaign_contract.oracles",
    "check_names": "campaign_contract.oracles",
    "check_pair": "campaign_contract.oracles",
    "check_same_sequence": "campaign_contract.oracles",
    "fault_names": "campaign_contract.mock",
    "iter_documents": "campaign_contract.captures._inputs",
    "load_checks_module": "campaign_contract.oracles._registry",
    "metamorphic_deterministic": "campaign_contract.oracles",
    "metamorphic_filter_narrows": "campaign_contract.oracles",
    "metamorphic_sms_ignores_dialing_mode": "campaign_contract.oracles",
    "metamorphic_sort_reverse": "campaign_contract.oracles",
    "metamorphic_status_union": "campaign_contract.oracles",
    "metamorphic_window_narrows": "campaign_contract.oracles",
    "record_from_validation": "campaign_contract.report",
    "resolve_settings": "campaign_contract._settings",
    "resolve_token": "campaign_contract.client._auth",
    "scrub": "campaign_contract.report",
    "sign_token": "campaign_contract.client._auth",
    "start_mock": "campaign_contract.mock",
    "validate_document": "campaign_contract.captures._run",
    "validate_inputs": "campaign_contract.captures._run",
    "validate_paths": "campaign_contract.captures._run",
    "validation_html": "campaign_contract.report",
    "write_reports": "campaign_contract.report",
}


__getattr__ = lazy_attributes(__name__, _LAZY, globals())


__version__ = "0.1.0"

__all__ = [
    "FAULTS",
    "PAIR_CHECKS",
    "PROFILES",
    "BudgetExhausted",
    "CampaignClient",
    "CampaignType",
    "CheckResult",
    "ChecksModuleError",
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
    "check",
    "check_crawl",
    "check_names",
    "check_pair",
    "check_same_sequence",
    "detect_type",
    "fault_names",
    "iter_documents",
    "load_checks_module",
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
