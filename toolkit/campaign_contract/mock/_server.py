"""The :class:`MockServer` API: load the campaigns, serve them over HTTP, stop cleanly."""

from __future__ import annotations

import inspect
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from types import TracebackType
from typing import Any, ParamSpec, TypeVar

from campaign_contract.client._exchange import Target
from campaign_contract.mock._app import MockApp
from campaign_contract.mock._data import DEFAULT_CAMPAIGNS, Campaign, generate, load
from campaign_contract.mock._faults import check_faults
from campaign_contract.mock._http import HTTPServer
from campaign_contract.mock._store import Store

DEFAULT_APP_ID = "st-mock-app"
DEFAULT_ACCOUNT_ID = "mock-account"
DEFAULT_TOKEN = "campaign-contract-mock-token"
MAX_BODY = 1024 * 1024
"""Request bodies larger than this many bytes are refused with 413."""

_P = ParamSpec("_P")
_R = TypeVar("_R")


class MockServer:
    """The embedded mock of getAllCampaignDetails, served from a background thread.

    Use :func:`start_mock`, or ``with MockServer(...) as mock:``. ``base_url`` is the host root;
    :meth:`target` gives the :class:`Target` (URL, app id, account id, token) to reach it.
    """

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        app_id: str = DEFAULT_APP_ID,
        account_id: str = DEFAULT_ACCOUNT_ID,
        token: str = DEFAULT_TOKEN,
        seed: int = 0,
        campaigns: int = DEFAULT_CAMPAIGNS,
        data: str | Path | None = None,
        db: str | Path | None = None,
        faults: Iterable[str] = (),
        max_body: int = MAX_BODY,
        request_timeout: float = 10.0,
    ) -> None:
        self.host = host
        self.port = port
        self.app_id = app_id
        self.account_id = account_id
        self.token = token
        self.seed = seed
        self.campaign_count = campaigns
        self.data = data
        self.db = db
        self.max_body = max_body
        self.request_timeout = request_timeout
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
    def faults(self) -> frozenset[str]:
        """The faults being served; assign to change them while the mock runs."""
        return self._faults

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

    def target(self) -> Target:
        """Where and as whom to call the mock."""
        return Target(self.base_url, self.app_id, self.account_id, self.token)

    def url(self) -> str:
        """The documented endpoint URL, ``accountId`` query included."""
        return self.target().endpoint()

    def headers(self) -> dict[str, str]:
        """The documented request headers, the mock's token included."""
        return self.target().headers()

    def campaigns(self, campaign_type: str) -> list[Campaign]:
        """Every campaign of ``campaign_type`` the mock holds, in insertion order."""
        if self._store is None:
            raise RuntimeError("the mock is not running")
        return self._store.campaigns(campaign_type)

    def counts(self) -> dict[str, int]:
        """How many campaigns of each type the mock holds."""
        if self._store is None:
            raise RuntimeError("the mock is not running")
        return self._store.counts()

    def _open_store(self) -> Store:
        store = Store(self.db)
        try:
            if self.data is not None:
                store.replace(load(self.data))
            elif self.db is None or sum(store.counts().values()) == 0:
                store.replace(generate(self.seed, self.campaign_count))
        except BaseException:
            store.close()
            raise
        return store

    def _tenant_campaigns(self, tenant: int) -> dict[str, list[Campaign]]:
        """Another account's or app's campaigns: generated data of its own, never ours."""
        return generate(self.seed + tenant, self.campaign_count)

    def start(self) -> MockServer:
        """Load the campaigns, bind the port and serve in a background thread (idempotent)."""
        with self._lock:
            if self._httpd is not None:
                return self
            store = self._open_store()
            app = MockApp(
                store,
                app_id=self.app_id,
                account_id=self.account_id,
                token=self.token,
                faults=self._faults,
                tenants=self._tenant_campaigns,
            )
            try:
                httpd = HTTPServer(
                    (self.host, self.port),
                    app,
                    max_body=self.max_body,
                    request_timeout=self.request_timeout,
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
