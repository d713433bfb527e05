"""The contract suite's machinery: the session handle, per-check ledgers, crawls, run records."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from campaign_contract.harness._contract import Contract
    from campaign_contract.harness._ledger import Ledger

__all__ = ["Contract", "Ledger"]

# loaded on first use: a module of the harness imported alone (the pytest plugin's, in a run
# that is not a contract run) does not bring in the HTTP client and hypothesis with it
_LAZY = {
    "Contract": "campaign_contract.harness._contract",
    "Ledger": "campaign_contract.harness._ledger",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
