"""The contract suite's machinery: the session handle, per-check ledgers, crawls, run records."""

from __future__ import annotations

from campaign_contract.harness._contract import Contract
from campaign_contract.harness._ledger import Ledger

__all__ = ["Contract", "Ledger"]
