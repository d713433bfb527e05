"""The ``campaign-contract`` command line."""

from __future__ import annotations

import gc
import sys


def main(argv: list[str] | None = None) -> int:
    from campaign_contract.cli._main import run_cli

    if argv is not None:
        return run_cli(argv)
    code = run_cli(sys.argv[1:])
    # the process ends now: its final collection need not scan what the command built up
    gc.freeze()
    return code
