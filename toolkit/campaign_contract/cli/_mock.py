"""``campaign-contract mock``: serve the mock in the foreground until Ctrl-C."""

from __future__ import annotations

import argparse
import shlex
import signal
import threading
from collections.abc import Callable
from types import FrameType
from typing import TextIO

from campaign_contract.mock._data import DEFAULT_CAMPAIGNS, MockDataError
from campaign_contract.mock._faults import FAULTS, UnknownFaultError, check_faults
from campaign_contract.mock._server import (
    DEFAULT_ACCOUNT_ID,
    DEFAULT_APP_ID,
    DEFAULT_TOKEN,
    MockServer,
)

DEFAULT_PORT = 8080


def add_mock_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the ``mock`` sub-command's options to ``parser``."""
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    parser.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"port ({DEFAULT_PORT}; 0 picks a free one)"
    )
    parser.add_argument("--app-id", default=DEFAULT_APP_ID, help="streamId in the path and iid")
    parser.add_argument("--account-id", default=DEFAULT_ACCOUNT_ID, help="the account served")
    parser.add_argument(
        "--token", default=DEFAULT_TOKEN, help="the value the auth header must carry"
    )
    parser.add_argument("--data", metavar="FILE", help="load campaigns from a JSON or YAML file")
    parser.add_argument(
        "--db", metavar="FILE", help="keep campaigns in this SQLite file (reused when not empty)"
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of the generated data (0)")
    parser.add_argument(
        "--campaigns",
        type=int,
        default=DEFAULT_CAMPAIGNS,
        metavar="N",
        help=f"campaigns generated per type ({DEFAULT_CAMPAIGNS})",
    )
    parser.add_argument(
        "--fault",
        action="append",
        default=[],
        metavar="NAME",
        help="serve with this named fault (repeatable; see --list-faults)",
    )
    parser.add_argument("--list-faults", action="store_true", help="list the named faults and exit")


def list_faults(out: TextIO) -> None:
    """Print ``name  description`` for every fault."""
    width = max(len(name) for name in FAULTS)
    for fault in FAULTS.values():
        out.write(f"{fault.name.ljust(width)}  {fault.description}\n")


def banner(mock: MockServer) -> str:
    """What to tell someone who just started the mock: URL, headers, a curl example."""
    counts = mock.counts()
    headers = mock.headers()
    lines = [
        f"campaign-contract mock: {counts['voice']} voice and {counts['sms']} SMS campaigns",
        f"base URL: {mock.base_url}",
        f"endpoint: POST {mock.url()}",
        "headers:",
        *(f"  {key}: {value}" for key, value in headers.items()),
        f"faults:   {', '.join(sorted(mock.faults)) or 'none'}",
        "example:",
        "  curl --location "
        + shlex.quote(mock.url())
        + "".join(f" \\\n    --header {shlex.quote(f'{k}: {v}')}" for k, v in headers.items())
        + " \\\n    --data "
        + shlex.quote('{"type": "voice", "limit": 5, "sortBy": {"createdAt": "desc"}}'),
        "Press Ctrl-C to stop.",
    ]
    return "\n".join(lines) + "\n"


PORT_RANGE = (0, 65535)


def range_problem(args: argparse.Namespace) -> str:
    """The first option whose number is out of range, as one line naming it; "" when none."""
    if args.campaigns < 0:
        return f"--campaigns must be 0 or more, not {args.campaigns}"
    low, high = PORT_RANGE
    if not low <= args.port <= high:
        return f"--port must be from {low} to {high} (0 picks a free port), not {args.port}"
    return ""


def run_mock(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Run ``campaign-contract mock`` with parsed ``args``: 0 after Ctrl-C, 2 on bad options."""
    if args.list_faults:
        list_faults(out)
        return 0
    try:
        faults = check_faults(args.fault)
    except UnknownFaultError as exc:
        err.write(f"campaign-contract mock: {exc}\n")
        return 2
    problem = range_problem(args)
    if problem:
        err.write(f"campaign-contract mock: {problem}\n")
        return 2
    mock = MockServer(
        host=args.host,
        port=args.port,
        app_id=args.app_id,
        account_id=args.account_id,
        token=args.token,
        seed=args.seed,
        campaigns=args.campaigns,
        data=args.data,
        db=args.db,
        faults=faults,
    )
    try:
        mock.start()
    except MockDataError as exc:
        err.write(f"campaign-contract mock: {exc}\n")
        return 2
    except OSError as exc:
        err.write(f"campaign-contract mock: cannot listen on {args.host}:{args.port}: {exc}\n")
        return 1
    stop = threading.Event()
    restore = _on_terminate(stop)
    try:
        out.write(banner(mock))
        out.flush()
        while not stop.wait(0.2):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        restore()
        mock.stop()
    out.write("campaign-contract mock: stopped\n")
    out.flush()
    return 0


def _on_terminate(stop: threading.Event) -> Callable[[], None]:
    """Let SIGTERM stop the mock like Ctrl-C does (main thread only); returns the undo."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None

    def handler(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = signal.signal(signal.SIGTERM, handler)

    def restore() -> None:
        signal.signal(signal.SIGTERM, previous)

    return restore
