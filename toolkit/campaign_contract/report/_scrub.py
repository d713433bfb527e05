"""Keeping credentials out of every report: key filtering and a last textual scrub."""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import quote

import markupsafe

MASK = "***"
SECRET_KEYS = frozenset({"token", "clientsecret", "secret", "password", "auth", "authorization"})


def is_secret_key(key: object) -> bool:
    """True for a settings key that names a credential (``token``, ``client-secret``, ...)."""
    if not isinstance(key, str):
        return False
    return key.lower().replace("_", "").replace("-", "") in SECRET_KEYS


def drop_secret_keys(value: Any) -> tuple[Any, list[str]]:
    """A copy of ``value`` without credential-named keys at any depth, and the string values
    that were dropped (so they can be scrubbed wherever else they turn up)."""
    dropped: list[str] = []

    def walk(node: Any) -> Any:
        if isinstance(node, Mapping):
            out: dict[Any, Any] = {}
            for key, item in node.items():
                if is_secret_key(key):
                    dropped.extend(_strings_in(item))
                else:
                    out[key] = walk(item)
            return out
        if isinstance(node, list | tuple):
            return [walk(item) for item in node]
        return node

    return walk(value), dropped


def _strings_in(node: Any) -> Iterable[str]:
    if isinstance(node, str):
        if node:
            yield node
    elif isinstance(node, Mapping):
        for item in node.values():
            yield from _strings_in(item)
    elif isinstance(node, list | tuple | set | frozenset):
        for item in node:
            yield from _strings_in(item)


def _variants(secret: str) -> set[str]:
    """The forms a secret may take once written into JSON, HTML, a URL or Markdown."""
    forms = {secret, json.dumps(secret)[1:-1], json.dumps(secret, ensure_ascii=False)[1:-1]}
    for form in list(forms):
        forms.add(html.escape(form))
        forms.add(html.escape(form, quote=False))
        forms.add(str(markupsafe.escape(form)))
    forms.add(quote(secret, safe=""))
    return {form for form in forms if form}


def scrub(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every known secret value (and its escaped forms) replaced by ``***``."""
    forms: set[str] = set()
    for secret in secrets:
        if isinstance(secret, str) and secret:
            forms |= _variants(secret)
    for form in sorted(forms, key=len, reverse=True):
        text = text.replace(form, MASK)
    return text


def scrub_data(value: Any, secrets: Iterable[str]) -> Any:
    """``value`` (JSON-like data) with ``scrub`` applied to every string, keys included."""
    known = [s for s in secrets if isinstance(s, str) and s]
    if not known:
        return value

    def walk(node: Any) -> Any:
        if isinstance(node, str):
            return scrub(node, known)
        if isinstance(node, Mapping):
            return {walk(k) if isinstance(k, str) else k: walk(v) for k, v in node.items()}
        if isinstance(node, list | tuple):
            return [walk(item) for item in node]
        return node

    return walk(value)
