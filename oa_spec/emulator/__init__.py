"""A stand-in for the WeChat Official Account server API, for tests, demos and dry runs.

It speaks the platform's wire format on loopback (paths under /cgi-bin/, JSON shapes, errcodes), checks
access tokens, enforces the limits in `oa_spec.limits` with the platform's error codes, and keeps one
state per app id. An admin API under /_admin/ registers apps, seeds and reads state, reads the call log
and injects the platform's bad days (errcodes, latency, dropped connections, expired tokens);
`EmulatorAdmin` is its client. Where the platform's behaviour is not documented, the choice made here
says UNCONFIRMED.

Modules: `state` (one account, errors), `faults`, `base` (a call, the stored state and clock),
`publishing_state`; endpoint handlers in `accounts` (menus, tags, templates), `drafts` (drafts and
uploads) and `broadcast` (publications, broadcasts, quotas); `events` (job-finish pushes); `api`
(dispatch and tokens), `admin`, `server` (HTTP) and `client` (`EmulatorAdmin`).
"""

from oa_spec.emulator.api import ENDPOINTS, Emulator
from oa_spec.emulator.base import Call, Endpoint, Outcome
from oa_spec.emulator.client import EmulatorAdmin
from oa_spec.emulator.faults import DropFault, ErrcodeFault, SlowFault
from oa_spec.emulator.server import EmulatorServer, run_emulator
from oa_spec.emulator.state import HOST, MATCHRULE_ECHOES, AdminError, ApiError, App

__all__ = [
    "ENDPOINTS", "HOST", "MATCHRULE_ECHOES", "AdminError", "ApiError", "App", "Call", "DropFault", "Emulator",
    "EmulatorAdmin", "EmulatorServer", "Endpoint", "ErrcodeFault", "Outcome", "SlowFault", "run_emulator",
]
