"""The revision numbers the audit trail records: a number any entry names is never handed out again, even
when its revision file was deleted or renumbered (the files state reads the log, PostgreSQL its rows)."""

from __future__ import annotations

import json
from pathlib import Path

from oa_spec.errors import OaspecError
from oa_spec.history.audit import canonical, log_path


def highest_revision(state_dir: Path, account: str) -> int:
    """The highest revision number the audit trail records for `account` (0 when none or no log yet)."""
    path = log_path(state_dir)
    needle = canonical({"account": account})[1:-1]  # '"account":"citybank"', as written by canonical()
    highest = 0
    try:
        with path.open(encoding="utf-8", errors="replace") as f:
            for text in f:
                if needle in text:
                    highest = max(highest, recorded_revision(text, account) or 0)
    except FileNotFoundError:
        return 0
    except OSError as exc:
        raise OaspecError(f"{path}: cannot read the audit log ({exc.strerror}) to number the next revision; "
                          "nothing was changed; fix the file's permissions") from None
    return highest


def recorded_revision(text: str, account: str) -> int | None:
    """The revision number an audit entry (one JSON line) records for `account`; None for any other."""
    try:
        entry = json.loads(text)  # lenient on purpose: a number any reading finds is not handed out again
    except (ValueError, RecursionError):
        return None
    if isinstance(entry, dict) and entry.get("account") == account and isinstance(entry.get("revision"), int):
        return int(entry["revision"])
    return None
