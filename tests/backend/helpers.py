"""Records and requests the backend tests share."""

from __future__ import annotations

import os
import socket

from oa_spec.backend.base import LockRequest
from oa_spec.history.revisions import Revision, Status
from oa_spec.kinds.state import AccountState, Tag


def revision(number: int, account: str = "citybank", status: Status = "applied", tags: tuple[str, ...] = ("vip",),
             operation: str = "apply") -> Revision:
    state = AccountState(tags=tuple(Tag(name=t) for t in tags))
    return Revision(number=number, account=account, time="2026-11-25T02:00:00+00:00", user="ci", operation=operation,
                    status=status, spec_digest="sha256:" + "a" * 64, desired=state, live_before=AccountState(),
                    live_after=state, changes=[], applied=[f"tag.{t}" for t in tags],
                    managed={"tags": sorted(tags)})


def request(operation: str = "apply", holder: str = "alice") -> LockRequest:
    return LockRequest(holder=holder, host=socket.gethostname(), operation=operation, pid=os.getpid(),
                       ci_job_url="https://ci.example/jobs/42")
