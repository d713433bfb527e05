"""Who is calling: the ``auth`` header checked against every tenant's credentials.

A literal token is compared in constant time. A JWT must be HS256 (``none`` and every other
algorithm refused), carry an ``appId`` claim naming a tenant's client id, verify with that
tenant's client secret, and be inside its ``exp`` (and ``nbf``) when it has them. Every refusal
is a :class:`RequestError` (401) whose message names the reason and never a credential.
"""

from __future__ import annotations

import hmac
import time
import warnings
from collections.abc import Sequence

import jwt

from campaign_contract.mock._request import RequestError
from campaign_contract.mock._tenants import Tenant

try:
    from jwt.warnings import InsecureKeyLengthWarning as _KeyLengthWarning
except ImportError:  # PyJWT before 2.10 does not warn about key length
    _KeyLengthWarning = UserWarning  # type: ignore[assignment,misc]

ALGORITHM = "HS256"
TOKEN_LIFETIME = 3600


def _refused(reason: str) -> RequestError:
    return RequestError(401, reason)


class Authenticator:
    """Tells which tenant an ``auth`` header belongs to."""

    def __init__(self, tenants: Sequence[Tenant]) -> None:
        self._by_token = {t.token.encode(): t for t in tenants if t.token}
        self._by_client = {t.client_id: t for t in tenants if t.signs_jwts and t.client_id}

    def identify(self, header: str) -> Tenant:
        """The tenant ``header`` reaches, or :class:`RequestError` (401) saying why none."""
        if not header:
            raise _refused("auth header is missing")
        given = header.encode("utf-8", "replace")
        for token, tenant in self._by_token.items():
            if hmac.compare_digest(given, token):
                return tenant
        if not self._by_client:
            raise _refused("auth token is not valid")
        return self._verify(header)

    def _verify(self, token: str) -> Tenant:
        try:
            algorithm = jwt.get_unverified_header(token).get("alg")
            claims = jwt.decode(token, options={"verify_signature": False})
        except jwt.PyJWTError:
            raise _refused("auth is not a valid token: neither a known token nor a JWT") from None
        if not isinstance(algorithm, str) or algorithm.lower() == "none":
            raise _refused("JWT is unsigned (alg none); sign it with HS256")
        if algorithm != ALGORITHM:
            shown = algorithm if algorithm.isalnum() and len(algorithm) <= 10 else "another one"
            raise _refused(f"JWT algorithm {shown} is not accepted; sign it with HS256")
        app = claims.get("appId") if isinstance(claims, dict) else None
        if not isinstance(app, str) or not app:
            raise _refused("JWT carries no appId claim (the client id)")
        tenant = self._by_client.get(app)
        if tenant is None or tenant.client_secret is None:
            raise _refused("JWT appId claim names no client id of this server")
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", _KeyLengthWarning)
                jwt.decode(
                    token, tenant.client_secret, algorithms=[ALGORITHM], options={"require": []}
                )
        except jwt.ExpiredSignatureError:
            raise _refused("JWT has expired (its exp is in the past)") from None
        except jwt.ImmatureSignatureError:
            raise _refused("JWT is not valid yet (its nbf or iat is in the future)") from None
        except jwt.InvalidSignatureError:
            raise _refused("JWT signature does not verify with the app's client secret") from None
        except jwt.PyJWTError as exc:
            raise _refused(f"JWT is not valid: {type(exc).__name__}") from None
        return tenant


def sign(tenant: Tenant, *, now: float | None = None, lifetime: int = TOKEN_LIFETIME) -> str:
    """A JWT reaching ``tenant`` (HS256, ``appId``, ``iat``, ``exp``), or its literal token."""
    if not tenant.signs_jwts:
        return tenant.token or ""
    assert tenant.client_id is not None and tenant.client_secret is not None
    issued = int(time.time() if now is None else now)
    claims = {"appId": tenant.client_id, "iat": issued, "exp": issued + lifetime}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", _KeyLengthWarning)
        return jwt.encode(claims, tenant.client_secret, algorithm=ALGORITHM)
