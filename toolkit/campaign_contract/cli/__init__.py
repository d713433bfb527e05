"""The ``campaign-contract`` command line."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from campaign_contract.cli._main import run_cli

    return run_cli(sys.argv[1:] if argv is None else argv)
