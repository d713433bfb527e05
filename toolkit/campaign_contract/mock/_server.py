"""The :class:`MockServer` API: load the campaigns, serve them over HTTP, stop cleanly."""

from __future__ import annotations

import inspect
import threading
import zlib
from collections.abc import Callable, Iterable
from pathlib import Path
from types import TracebackType
from typing import Any, ParamSpec, TypeVar

from campaign_contract.client._exchange import Target
from campaign_contract.mock._app import MockApp
from campaign_contract.mock._auth import sign
from campaign_contract.mock._data import (
    DEFAULT_CAMPAIGNS,
    Campaign,
    Campaigns,
    generate,
    load_dataset,
)
from campaign_contract.mock._faults import check_faults
from campaign_contract.mock._http import HTTPServer, Limits
from campaign_contract.mock._store import Key, Store
from campaign_contract.mock._tenants import (
    DEFAULT_ACCOUNT_ID,
    DEFAULT_APP_ID,
    DEFAULT_TOKEN,
    Tenant,
    checked_tenants,
)
from campaign_contract.mock._throttle import Latency, RateLimit
from campaign_contract.mock._transport import Transport

MAX_BODY = 1024 * 1024
"""Request bodies larger than this many bytes are refused with 413."""
MAX_DEADLINE = 30.0
"""The longest ``request_deadline`` allowed: no request holds a thread longer."""

_P = ParamSpec("_P")
_R = TypeVar("_R")


class MockServer:
    """The embedded mock of getAllCampaignDetails, served from a background thread.

    Use :func:`start_mock`, or ``with MockServer(...) as mock:``. ``base_url`` is the host root;
    :meth:`target` gives the :class:`Target` (URL, app id, account id, token) to reach a tenant.

    Credentials: ``token`` (a literal value), or ``client_id`` and ``client_secret`` (HS256 JWTs
    with claim ``appId``), or both; without any, the default token. ``tenants`` generates that
    many tenants modelled on the first (ids and credentials suffixed ``-2``, ``-3``, ...), each
    with data of its own; a ``data`` file may list tenants instead. ``rate_limit`` (``60/min``)
    throttles each account, ``latency`` (``50ms±20ms``) delays each answer.
    ``request_deadline`` bounds the seconds one request (headers and body) may take to arrive,
    ``max_connections`` the connections served at once (503 past it).
    """

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        app_id: str = DEFAULT_APP_ID,
        account_id: str = DEFAULT_ACCOUNT_ID,
        token: str | None = None,
        client_id: str | None = None,
        client_secret: str | None = None,
        tenants: int = 1,
        seed: int = 0,
        campaigns: int = DEFAULT_CAMPAIGNS,
        data: str | Path | None = None,
        db: str | Path | None = None,
        faults: Iterable[str] = (),
        rate_limit: str | RateLimit | None = None,
        latency: str | Latency | None = None,
        max_body: int = MAX_BODY,
        request_timeout: float = 10.0,
        request_deadline: float = 10.0,
        max_connections: int = 100,
    ) -> None:
        if tenants < 1:
            raise ValueError(f"tenants must be at least 1, not {tenants}")
        if not 0 < request_deadline <= MAX_DEADLINE:
            raise ValueError(f"request_deadline must be above 0 and at most {MAX_DEADLINE:g} s")
        if max_connections < 1:
            raise ValueError(f"max_connections must be at least 1, not {max_connections}")
        if token is None and not (client_id and client_secret):
            token = DEFAULT_TOKEN
        first = Tenant(account_id, app_id, token, client_id, client_secret)
        self._tenants = checked_tenants(first.numbered(n) for n in range(1, tenants + 1))
        self.host = host
        self.port = port
        self.seed = seed
        self.campaign_count = campaigns
        self.data = data
        self.db = db
        self.rate_limit = RateLimit.parse(rate_limit) if isinstance(rate_limit, str) else rate_limit
        self.latency = Latency.parse(latency) if isinstance(latency, str) else latency
        self.limits = Limits(max_body, request_timeout, request_deadline, max_connections)
        self._faults = check_faults(faults)
        self._lock = threading.Lock()
        self._httpd: HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._store: Store | None = None
        self._app: MockApp | None = None

    def __repr__(self) -> str:
        state = self.base_url if self.running else "stopped"
        return f"MockServer({state}, app_id={self.app_id!r}, faults={sorted(self._faults)})"

    @property
    def tenants(self) -> tuple[Tenant, ...]:
        """Every tenant served; the first is the main one (a data file may list them)."""
        return self._tenants

    @property
    def app_id(self) -> str:
        return self._tenants[0].app_id

    @property
    def account_id(self) -> str:
        return self._tenants[0].account_id

    @property
    def token(self) -> str:
        """What the main tenant sends in ``auth``: its token, or a JWT signed now."""
        return sign(self._tenants[0])

    @property
    def max_body(self) -> int:
        return self.limits.max_body

    @property
    def faults(self) -> frozenset[str]:
        """The faults being served; assign to change them while the mock runs."""
        return frozenset(self._faults)

    @faults.setter
    def faults(self, names: Iterable[str]) -> None:
        self._faults = check_faults(names)
        if self._app is not None:
            self._app.faults = self._faults

    @property
    def running(self) -> bool:
        return self._httpd is not None

    @property
    def base_url(self) -> str:
        """The host root, e.g. ``http://127.0.0.1:8080`` (the documented path goes after it)."""
        host = self.host
        if host in ("", "0.0.0.0"):
            host = "127.0.0.1"
        elif host == "::":
            host = "::1"
        if ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{self.port}"

    def target(self, tenant: int = 0) -> Target:
        """Where and as whom to call the mock (the ``tenant``-th tenant, 0 the main one); with
        client credentials the token is a JWT signed now, valid for an hour."""
        chosen = self._tenants[tenant]
        return Target(self.base_url, chosen.app_id, chosen.account_id, sign(chosen))

    def url(self, tenant: int = 0) -> str:
        """The documented endpoint URL, ``accountId`` query included."""
        return self.target(tenant).endpoint()

    def headers(self, tenant: int = 0) -> dict[str, str]:
        """The documented request headers, the tenant's token included."""
        return self.target(tenant).headers()

    def _running_store(self) -> Store:
        if self._store is None:
            raise RuntimeError("the mock is not running")
        return self._store

    def campaigns(self, campaign_type: str, tenant: int = 0) -> list[Campaign]:
        """Every campaign of ``campaign_type`` a tenant holds, in insertion order."""
        return self._running_store().campaigns(self._tenants[tenant].key, campaign_type)

    def counts(self, tenant: int = 0) -> dict[str, int]:
        """How many campaigns of each type a tenant holds."""
        return self._running_store().counts(self._tenants[tenant].key)

    def _open_store(self) -> Store:
        store = Store(self.db)
        try:
            given: list[Campaigns] = []
            if self.data is not None:
                listed, given = load_dataset(self.data)
                if listed is not None:
                    self._tenants = checked_tenants(listed)
            for number, tenant in enumerate(self._tenants):
                if number < len(given):
                    store.replace(tenant.key, given[number])
                elif self.db is None or sum(store.counts(tenant.key).values()) == 0:
                    store.replace(tenant.key, generate(self.seed + number, self.campaign_count))
        except BaseException:
            store.close()
            raise
        return store

    def _foreign_campaigns(self, key: Key) -> Campaigns:
        """An account's or app's campaigns no tenant has: generated data of its own."""
        salt = zlib.crc32("\n".join(key).encode("utf-8", "replace"))
        return generate(self.seed + 1_000 + salt, self.campaign_count)

    def start(self) -> MockServer:
        """Load the campaigns, bind the port and serve in a background thread (idempotent)."""
        with self._lock:
            if self._httpd is not None:
                return self
            store = self._open_store()
            app = MockApp(
                store,
                self._tenants,
                faults=self._faults,
                foreign=self._foreign_campaigns,
                rate_limit=self.rate_limit,
            )
            try:
                httpd = HTTPServer(
                    (self.host, self.port),
                    app,
                    self.limits,
                    Transport(self.latency, self.seed),
                )
            except BaseException:
                store.close()
                raise
            self.port = int(httpd.server_address[1])
            thread = threading.Thread(
                target=httpd.serve_forever,
                kwargs={"poll_interval": 0.05},
                name=f"campaign-contract-mock:{self.port}",
                daemon=True,
            )
            thread.start()
            self._httpd, self._thread, self._store, self._app = httpd, thread, store, app
            return self

    def stop(self, timeout: float = 5.0) -> None:
        """Stop serving, close the socket and every connection, join the threads (idempotent)."""
        with self._lock:
            httpd, thread, store, app = self._httpd, self._thread, self._store, self._app
            if httpd is None:
                return
            httpd.shutdown()
            httpd.server_close()
            httpd.close_connections(timeout)
            if thread is not None:
                thread.join(timeout)
            if app is not None:
                app.close()
            if store is not None:
                store.close()
            self._httpd = self._thread = self._store = self._app = None

    def __enter__(self) -> MockServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def _taking_arguments_of(
    server: Callable[_P, object],
) -> Callable[[Callable[..., _R]], Callable[_P, _R]]:
    """Give the decorated function ``server``'s parameters, for type checkers and ``help()``."""

    def take(function: Callable[..., _R]) -> Callable[_P, _R]:
        returns = inspect.signature(function).return_annotation
        signature = inspect.signature(server).replace(return_annotation=returns)
        function.__signature__ = signature  # type: ignore[attr-defined]
        return function

    return take


@_taking_arguments_of(MockServer)
def start_mock(**options: Any) -> MockServer:
    """Start the mock on ``host:port`` (``0``: a free port) in a background thread.

    Takes the keyword arguments of :class:`MockServer`. Raises ``ValueError`` for an unknown
    fault or unloadable data, ``OSError`` when the port cannot be bound. Stop it with
    :meth:`MockServer.stop` (or use it as a context manager).
    """
    return MockServer(**options).start()
