"""The JWT for the ``auth`` header: given as a token, or signed from a client id and secret."""

from __future__ import annotations

import time
import warnings

import jwt

from campaign_contract._secrets import Secret, secret

try:
    from jwt.warnings import InsecureKeyLengthWarning as _KeyLengthWarning
except ImportError:  # PyJWT before 2.10 does not warn about key length
    _KeyLengthWarning = UserWarning  # type: ignore[assignment,misc]

TOKEN_LIFETIME = 3600
"""Seconds a signed token stays valid (its ``exp`` minus its ``iat``)."""


def sign_token(
    client_id: str,
    client_secret: str,
    *,
    now: float | None = None,
    lifetime: int = TOKEN_LIFETIME,
) -> Secret:
    """An HS256 JWT with claim ``appId`` = ``client_id``, as Kore.ai's public APIs expect.

    ``now`` is the issue time in seconds since the epoch (default: the current time);
    the token carries ``iat`` and ``exp = iat + lifetime``. It is a :class:`Secret`: its
    ``repr`` is ``***``.
    """
    if not client_id:
        raise ValueError("cannot sign a token: the client id is empty")
    if not client_secret:
        raise ValueError("cannot sign a token: the client secret is empty")
    issued = int(time.time() if now is None else now)
    claims = {"appId": client_id, "iat": issued, "exp": issued + lifetime}
    with warnings.catch_warnings():
        # the secret is whatever the platform issued; its length is not the caller's choice
        warnings.simplefilter("ignore", _KeyLengthWarning)
        return Secret(jwt.encode(claims, client_secret, algorithm="HS256"))


def resolve_token(token: str | None, client_id: str | None, client_secret: str | None) -> Secret:
    """The token to send: ``token`` when given, else one signed from the client credentials.

    The token is a :class:`Secret` (its ``repr`` is ``***``). Raises :class:`ValueError` with a
    one-line message (never containing a secret) when neither is complete.
    """
    if token:
        return secret(token)
    if client_id and client_secret:
        return sign_token(client_id, client_secret)
    if client_id:
        raise ValueError("a client id was given without a client secret: give both, or a token")
    if client_secret:
        raise ValueError("a client secret was given without a client id: give both, or a token")
    raise ValueError("no credentials: give a token, or a client id and a client secret")
