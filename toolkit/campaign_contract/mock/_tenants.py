"""Who the mock serves: tenants (an account and an app), each with its own credentials.

A tenant is reached with its literal token, or with an HS256 JWT whose ``appId`` claim is the
tenant's client id, signed with its client secret. Several tenants may be generated (``--tenants
N``) or read from a data file's ``tenants`` list; no credential reaches another tenant's data.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

DEFAULT_APP_ID = "st-mock-app"
DEFAULT_ACCOUNT_ID = "mock-account"
DEFAULT_TOKEN = "campaign-contract-mock-token"


class TenantError(ValueError):
    """Tenants that cannot be served together (no credentials, a credential shared), one line."""


@dataclass(frozen=True)
class Tenant:
    """One account's app: the ids that address it and the credentials that reach it.

    With ``client_id`` and ``client_secret`` the tenant takes JWTs signed with them; with
    ``token`` it takes that literal value; with both, either.
    """

    account_id: str = DEFAULT_ACCOUNT_ID
    app_id: str = DEFAULT_APP_ID
    token: str | None = field(default=None, repr=False)
    client_id: str | None = None
    client_secret: str | None = field(default=None, repr=False)

    @property
    def key(self) -> tuple[str, str]:
        """(account id, app id): where its campaigns are stored."""
        return (self.account_id, self.app_id)

    @property
    def signs_jwts(self) -> bool:
        return bool(self.client_id and self.client_secret)

    def numbered(self, number: int) -> Tenant:
        """The ``number``-th generated tenant modelled on this one (1 is this one)."""
        if number == 1:
            return self

        def suffixed(value: str | None) -> str | None:
            return None if value is None else f"{value}-{number}"

        return Tenant(
            f"{self.account_id}-{number}",
            f"{self.app_id}-{number}",
            suffixed(self.token),
            suffixed(self.client_id),
            suffixed(self.client_secret),
        )


def checked_tenants(tenants: Iterable[Tenant]) -> tuple[Tenant, ...]:
    """``tenants`` as a tuple, or :class:`TenantError` when they cannot be told apart."""
    found = tuple(tenants)
    if not found:
        raise TenantError("no tenant to serve")
    _unique("account and app id pair", [f"{t.account_id}/{t.app_id}" for t in found], show=True)
    _unique("app id", [t.app_id for t in found], show=True)
    _unique("token", [t.token for t in found if t.token], show=False)
    _unique("client id", [t.client_id for t in found if t.client_id], show=True)
    for tenant in found:
        if not tenant.account_id or not tenant.app_id:
            raise TenantError("every tenant needs an account id and an app id")
        if bool(tenant.client_id) != bool(tenant.client_secret):
            raise TenantError(
                f"tenant {tenant.account_id}/{tenant.app_id}: a client id and a client secret "
                "go together"
            )
        if not tenant.token and not tenant.signs_jwts:
            raise TenantError(
                f"tenant {tenant.account_id}/{tenant.app_id} has no credentials: "
                "give a token, or a client id and a client secret"
            )
    return found


def _unique(what: str, values: Sequence[str | None], *, show: bool) -> None:
    seen: set[str | None] = set()
    for value in values:
        if value in seen:
            named = f" {value!r}" if show else ""
            raise TenantError(f"two tenants share the {what}{named}; each needs its own")
        seen.add(value)
