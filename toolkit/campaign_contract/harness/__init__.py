"""The contract suite's machinery: the session handle, per-check ledgers, crawls, run records."""

from __future__ import annotations

from typing import TYPE_CHECKING

from campaign_contract._lazy import lazy_attributes

if TYPE_CHECKING:
    from campaign_contract.harness._contract import Contract
    from campaign_contract.harness._ledger import Ledger

__all__ = ["Contract", "Ledger"]

# loaded on first use: a module of the harness imported alone (the pytest plugin's, in a run
# that is not a contract run) does not bring in the HTTP client and hypothesis with it
__getattr__ = lazy_attributes(
    __name__,
    {
        "Contract": "campaign_contract.harness._contract",
        "Ledger": "campaign_contract.harness._ledger",
    },
    globals(),
)
