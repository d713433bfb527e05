"""The ``campaign-contract`` command line."""

from __future__ import annotations

import sys
from typing import NoReturn


def main(argv: list[str] | None = None) -> int:
    from campaign_contract.cli._main import run_cli

    return run_cli(sys.argv[1:] if argv is None else argv)


def console() -> NoReturn:
    """The console script: ``main`` on the process's arguments, then a quick exit."""
    from campaign_contract.cli._leave import leave

    leave(main())
