"""What the audit trail records of an account's revisions: a number any entry names is never handed out again,
even when its revision file was deleted or renumbered, and the spec digest each entry records is what the
revision's record must still digest to (integrity.py). The files state reads the log, PostgreSQL its rows."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from oa_spec.errors import OaspecError
from oa_spec.history.audit import canonical, log_path


def highest_revision(state_dir: Path, account: str) -> int:
    """The highest revision number the audit trail records for `account` (0 when none or no log yet)."""
    numbers = [recorded_revision(text, account) or 0 for text in account_lines(state_dir, account,
                                                                                "to number the next revision")]
    return max(numbers, default=0)


LIVE = "live:"  # a live state's digest among a revision's audited digests, apart from its spec digests
MANAGED = "managed:"  # the digest of what oaspec manages after it: the newest entry's only (attack review 78 F2)
RECORD = "record:"  # the digest of the whole record as its run finished it: the newest entry's only (F4)
LATEST = (MANAGED, RECORD)  # a reconciliation replaces its journal's record


def audited_digests(texts: Iterable[str], account: str) -> dict[int, set[str]]:
    """Revision number -> the spec digests the audit entries (JSON lines) of `account` record for it, the digests
    of the live state after its writes they record (prefixed LIVE), and the digest of what oaspec manages after it
    that the last of them records (prefixed MANAGED): a reconciliation replaces its journal's list."""
    found: dict[int, set[str]] = {}
    for text in texts:
        entry = _revision_entry(text, account)
        if entry is None:
            continue
        digests = found.setdefault(entry["revision"], set())
        for field, prefix in (("managed_digest", MANAGED), ("record_digest", RECORD)):
            if isinstance(entry.get(field), str):
                digests -= {d for d in digests if d.startswith(prefix)}
        for field, prefix in (("spec_digest", ""), ("live_digest", LIVE), ("managed_digest", MANAGED),
                              ("record_digest", RECORD)):
            if isinstance(entry.get(field), str):
                digests.add(prefix + entry[field])
    return found


def sent_slots(texts: Iterable[str], account: str) -> dict[str, str]:
    """Slot -> when, for each send `oaspec publish` recorded as sent for `account` (attack review 78 F6): what the
    content record must still know, since a slot goes out once."""
    found: dict[str, str] = {}
    for text in texts:
        try:
            entry = json.loads(text)
        except (ValueError, RecursionError):
            continue
        if isinstance(entry, dict) and entry.get("account") == account and entry.get("operation") == "publish" \
                and entry.get("result") == "sent" and isinstance(entry.get("slot"), str):
            found[entry["slot"]] = str(entry.get("time", "?"))
    return found


def account_lines(state_dir: Path, account: str, why: str) -> Iterator[str]:
    """The lines of the files log that may be entries of `account` (none when there is no log yet)."""
    path = log_path(state_dir)
    needle = needle_for(account)
    try:
        with path.open(encoding="utf-8", errors="replace") as f:
            yield from (text for text in f if needle in text)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise OaspecError(f"{path}: cannot read the audit log ({exc.strerror}) {why}; nothing was changed; fix the "
                          "file's permissions") from None


def needle_for(account: str) -> str:
    """'"account":"citybank"', as canonical() writes it: a quick filter before an entry is parsed."""
    return canonical({"account": account})[1:-1]


def recorded_revision(text: str, account: str) -> int | None:
    """The revision number an audit entry (one JSON line) records for `account`; None for any other."""
    entry = _revision_entry(text, account)
    return None if entry is None else int(entry["revision"])


def _revision_entry(text: str, account: str) -> dict[str, Any] | None:
    try:
        entry = json.loads(text)  # lenient on purpose: a number any reading finds is not handed out again
    except (ValueError, RecursionError):
        return None
    if isinstance(entry, dict) and entry.get("account") == account and isinstance(entry.get("revision"), int):
        return entry
    return None
