"""The contract suite's machinery: the session handle, per-check ledgers, crawls, run records."""

from __future__ import annotations

from .contract import Contract
from .ledger import Ledger

__all__ = ["Contract", "Ledger"]
