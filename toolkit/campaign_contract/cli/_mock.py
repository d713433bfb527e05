"""``campaign-contract mock``: serve the mock in the foreground until Ctrl-C."""

from __future__ import annotations

import argparse
import shlex
import signal
import time
from typing import TextIO

from campaign_contract._signals import catch_signals
from campaign_contract.mock._data import DEFAULT_CAMPAIGNS, MockDataError
from campaign_contract.mock._faults import FAULTS, UnknownFaultError, check_faults
from campaign_contract.mock._server import MAX_DEADLINE, MockServer
from campaign_contract.mock._store import StoreError
from campaign_contract.mock._tenants import (
    DEFAULT_ACCOUNT_ID,
    DEFAULT_APP_ID,
    DEFAULT_TOKEN,
    Tenant,
)
from campaign_contract.mock._throttle import Latency, OptionError, RateLimit

STOPPING = (signal.SIGTERM, signal.SIGINT)
"""The signals that stop the mock (SIGINT only while it has Python's own handler)."""

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
        "--token",
        default=None,
        help=f"a literal value the auth header may carry (default {DEFAULT_TOKEN} when no "
        "client id and secret are given)",
    )
    parser.add_argument(
        "--client-id", metavar="ID", help="take HS256 JWTs whose appId claim is ID..."
    )
    parser.add_argument(
        "--client-secret", metavar="SECRET", help="...signed with SECRET (exp honoured)"
    )
    parser.add_argument(
        "--tenants",
        type=int,
        default=1,
        metavar="N",
        help="serve N tenants, ids and credentials of the 2nd on suffixed -2, ... (1)",
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
    parser.add_argument(
        "--rate-limit",
        metavar="N/PER",
        help="throttle each account: at most N requests per s, min or hour in any sliding "
        "window (e.g. 60/min); past it 429 with Retry-After (default: off)",
    )
    parser.add_argument(
        "--latency",
        metavar="DELAY[±JITTER]",
        help="wait this long before each answer, e.g. 50ms or 50ms±20ms (default: none)",
    )
    parser.add_argument(
        "--request-deadline",
        type=float,
        default=10.0,
        metavar="SECONDS",
        help=f"most seconds one request's headers and body may take to arrive (10; at most "
        f"{MAX_DEADLINE:g})",
    )
    parser.add_argument(
        "--max-connections",
        type=int,
        default=100,
        metavar="N",
        help="connections served at once; past it 503 with Retry-After (100)",
    )
    parser.add_argument("--list-faults", action="store_true", help="list the named faults and exit")


def list_faults(out: TextIO) -> None:
    """Print ``name  [area]  description`` for every fault; a transport fault also names the
    client behaviour it exercises."""
    width = max(len(name) for name in FAULTS)
    area_width = max(len(fault.area) for fault in FAULTS.values()) + 2
    for fault in FAULTS.values():
        exercises = f"; exercises {fault.exercises}" if fault.exercises else ""
        area = f"[{fault.area}]".ljust(area_width)
        out.write(f"{fault.name.ljust(width)}  {area}  {fault.description}{exercises}\n")


def _credentials(tenant: Tenant) -> str:
    kinds = []
    if tenant.token:
        kinds.append("token")
    if tenant.client_id:
        kinds.append(f"JWTs of client id {tenant.client_id}")
    return " or ".join(kinds)


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
    ]
    if mock.tenants[0].signs_jwts:
        lines.append(
            "  (auth is a JWT signed now, valid 1 h; sign your own with the client secret)"
        )
    if len(mock.tenants) > 1:
        lines.append("tenants:")
        lines += [
            f"  account {t.account_id}, app {t.app_id}: {_credentials(t)}" for t in mock.tenants
        ]
    settings = [
        f"rate limit {mock.rate_limit} per account" if mock.rate_limit else "",
        f"latency {mock.latency}" if mock.latency else "",
    ]
    lines += [
        f"faults:   {', '.join(sorted(mock.faults)) or 'none'}",
        *(f"serving:  {item}" for item in settings if item),
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


def _build(args: argparse.Namespace) -> MockServer:
    """The mock ``args`` describe; ``ValueError`` with a one-line reason naming the option."""
    faults = check_faults(args.fault)
    low, high = PORT_RANGE
    if args.campaigns < 0:
        raise ValueError(f"--campaigns must be 0 or more, not {args.campaigns}")
    if not low <= args.port <= high:
        raise ValueError(
            f"--port must be from {low} to {high} (0 picks a free port), not {args.port}"
        )
    for option, value in (("--tenants", args.tenants), ("--max-connections", args.max_connections)):
        if value < 1:
            raise ValueError(f"{option} must be at least 1, not {value}")
    if not 0 < args.request_deadline <= MAX_DEADLINE:
        raise ValueError(f"--request-deadline must be above 0 and at most {MAX_DEADLINE:g}")
    if bool(args.client_id) != bool(args.client_secret):
        raise ValueError("--client-id and --client-secret go together")
    return MockServer(
        host=args.host,
        port=args.port,
        app_id=args.app_id,
        account_id=args.account_id,
        token=args.token,
        client_id=args.client_id,
        client_secret=args.client_secret,
        tenants=args.tenants,
        seed=args.seed,
        campaigns=args.campaigns,
        data=args.data,
        db=args.db,
        faults=faults,
        rate_limit=RateLimit.parse(args.rate_limit) if args.rate_limit else None,
        latency=Latency.parse(args.latency) if args.latency else None,
        request_deadline=args.request_deadline,
        max_connections=args.max_connections,
    )


def run_mock(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Run ``campaign-contract mock`` with parsed ``args``: 0 after Ctrl-C, 2 on bad options,
    1 when the database or the port cannot be used."""
    if args.list_faults:
        list_faults(out)
        return 0
    try:
        mock = _build(args)
        mock.start()
    except StoreError as exc:
        err.write(f"campaign-contract mock: {exc}\n")
        return 1
    except (UnknownFaultError, OptionError, MockDataError, ValueError) as exc:
        err.write(f"campaign-contract mock: {exc}\n")
        return 2
    except OSError as exc:
        err.write(f"campaign-contract mock: cannot listen on {args.host}:{args.port}: {exc}\n")
        return 1
    stopped: list[int] = []
    # SIGTERM and Ctrl-C only note themselves (an exception could be swallowed on its way, and
    # a lock taken in a handler could be the one the loop holds)
    restore = catch_signals(lambda signum, frame: stopped.append(signum), STOPPING)
    try:
        out.write(banner(mock))
        out.flush()
        while not stopped:
            time.sleep(0.2)
    except KeyboardInterrupt:  # a SIGINT that was not Python's own when the mock started
        pass
    finally:
        restore()
        mock.stop()
    out.write("campaign-contract mock: stopped\n")
    out.flush()
    return 0
