"""Revisions, locks and the audit trail: the state interface (state.py) and its files implementation
(files.py: the state directory); the PostgreSQL one is oa_spec/backend."""

from __future__ import annotations

import re

from oa_spec.errors import OaspecError

ACCOUNT_ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")  # as the spec's account ids (spec/model.py Identifier)


def checked_account_id(account: str) -> str:
    """An account id safe to use in a file name: `unlock ../../x` must not reach outside the state directory."""
    if not ACCOUNT_ID.fullmatch(account):
        raise OaspecError(f"{account!r} is not an account id (lowercase letters, digits, '-' and '_')")
    return account
