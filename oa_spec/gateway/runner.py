"""`oaspec serve`: the gateway answering every served account from its latest applied revision.

Each worker process opens the state itself (a connection must not cross gunicorn's fork) and polls its
revision store (`applied.revision_marker`: a listing and a stat, or one indexed query in PostgreSQL) a
few times a second; when an apply or a rollback recorded a new revision, the worker rebuilds that
account's configuration and swaps it in (`GatewayApp.replace_accounts`): requests in flight finish on
the old one, the next message gets the new reply, and nothing restarts.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from oa_spec.backend.pg_idempotency import PostgresIdempotency
from oa_spec.config.model import AccountSpec, Spec, WeChatProviderConfig
from oa_spec.errors import OaspecError
from oa_spec.gateway.applied import Marker, account_gateway, revision_marker, served_now, served_state
from oa_spec.gateway.config import AccountGateway, Reply, load_secrets
from oa_spec.gateway.dedup import FileIdempotency
from oa_spec.history.state import State
from oa_spec.kinds.state import AccountState
from oa_spec.util.repeats import Repeats

log = logging.getLogger("oa_spec.gateway")
POLL_INTERVAL_S = 0.2
UNANSWERED_S = 5.0  # a poll this late is a state that hangs
RETRY_S = 5.0  # a revision that could not be read or served is tried again this often (each try rebuilds)


@dataclass
class AppliedAccounts:
    """The served accounts of a spec and where their revisions are; `configs()` reads the latest of each."""

    accounts: list[AccountSpec]
    state: State
    interval_s: float = POLL_INTERVAL_S
    spec: Spec | None = None  # whose policies webhook answers are held to (None: the core pack's rules alone)
    _markers: dict[str, Marker] = field(default_factory=dict)
    _served: dict[str, AccountGateway] = field(default_factory=dict)  # what this worker last read of each
    _unread: set[str] = field(default_factory=set)  # accounts whose history could not be read at the last try
    _unserved: list[str] = field(default_factory=list)  # new configurations the app could not serve (why)
    _retry_at: float = 0.0  # when what could not be read or served is tried again
    _polled_at: float | None = None  # when the revisions were last looked at without an error (once following)
    _stop: threading.Event = field(default_factory=threading.Event)
    _repeats: Repeats = field(default_factory=Repeats)

    def configs(self) -> list[AccountGateway]:
        """Each account's latest applied configuration. An account whose history cannot be read now (the
        database down, the newest record damaged) keeps what this worker served before, or, in a worker
        that has served nothing yet, answers `success` (no reply) until it can be read: never an older
        revision, and never a worker that fails to boot (gunicorn would halt every worker with it)."""
        return [self._config(account) for account in self.accounts]

    def _config(self, account: AccountSpec) -> AccountGateway:
        history = self.state.history(account.id)
        try:
            # no marker until one is read, so a failed read is tried at the next poll; a damaged record that was
            # listed keeps its marker: read again when the history changes (or at the retry), not at every poll
            self._markers.pop(account.id, None)
            self._markers[account.id] = revision_marker(history)
            found = served_state(history, strict=True)
        except OaspecError as exc:
            self._unread.add(account.id)
            kept = self._served.get(account.id)
            if self._repeats.due(f"account {account.id}", str(exc)):
                log.error("account %s: the applied revisions cannot be read (%s); %s", account.id, exc,
                          "still serving the configuration in place" if kept else
                          "answering `success` until they can")
            return kept or replace(account_gateway(account, AccountState()), unread=True)
        self._repeats.over(f"account {account.id}")
        self._unread.discard(account.id)
        if found is None:
            log.warning("account %s: no applied revision yet: answering `success` until the first apply",
                        account.id)
        else:
            log.info("account %s: serving revision %d", account.id, found[0])
        config = account_gateway(account, found[1] if found is not None else AccountState(), self.spec)
        self._served[account.id] = config
        return config

    def changed(self) -> bool:
        try:
            changed = any(a.id not in self._markers or revision_marker(self.state.history(a.id)) != self._markers[a.id]
                          for a in self.accounts)
        except Exception:
            self._unread.update(a.id for a in self.accounts)
            self._markers.clear()  # read every account again once the history answers (which clears _unread)
            raise
        return changed

    def problem(self) -> str | None:
        """For /healthz: new revisions the app could not serve, accounts whose applied revisions could not be read
        at the last poll (each still served as it was, or answered `success` if this worker never read it), and
        a poll that has not come back (a state that hangs)."""
        kept = ", ".join(sorted(a for a in self._unread if a in self._served))
        never = ", ".join(sorted(a for a in self._unread if a not in self._served))
        problems = [*self._unserved,
                    *([f"applied revisions unreadable, serving what was read before: {kept}"] if kept else []),
                    *([f"applied revisions never read, answering `success` (no reply) until they can be: {never}"]
                      if never else [])]
        quiet = time.monotonic() - self._polled_at if self._polled_at is not None else 0.0
        if quiet > UNANSWERED_S:  # a poll hangs on a state that does not answer (it neither answers nor fails)
            problems.append(f"applied revisions not looked at for {quiet:.0f}s: the state does not answer")
        return "; ".join(problems) or None

    def follow(self, app: Any) -> threading.Thread:
        """Swap in a new applied configuration whenever history records one (in a daemon thread)."""

        def loop() -> None:
            while not self._stop.wait(self.interval_s):
                try:
                    retry = bool(self._unread or self._unserved) and time.monotonic() >= self._retry_at
                    if self.changed() or retry:  # a damaged record repaired, a variable set since
                        self._unserved = app.replace_accounts(self.configs())
                        self._retry_at = time.monotonic() + RETRY_S
                    self._polled_at = time.monotonic()
                    self._repeats.over("reload")
                except Exception as exc:  # keep serving the configuration in place; try again on the next tick
                    if self._repeats.due("reload", repr(exc)):
                        log.exception("reloading the applied configuration failed; still serving the previous one")

        self._polled_at = time.monotonic()
        self._unserved = list(getattr(app, "unserved", []))  # what it could not serve as it booted
        thread = threading.Thread(target=loop, name="oaspec-serve-reload", daemon=True)
        thread.start()
        return thread

    def stop(self) -> None:
        self._stop.set()


class CustomerServiceSender:
    """Delivers a reply ready after the deadline through the customer-service API of a wechat account
    (`message/custom/send`, with the provider's own token handling); a local account has no API to send to."""

    def __init__(self, accounts: list[AccountSpec], environ: Mapping[str, str] | None = None) -> None:
        self._accounts = {a.id: a for a in accounts}
        self._environ = os.environ if environ is None else environ
        self._clients: dict[str, Any] = {}
        self._lock = threading.Lock()

    def __call__(self, config: AccountGateway, openid: str, reply: Reply) -> None:
        from oa_spec.gateway.outbound import customer_message_body

        client = self._client(config.account_id)
        if client is None:
            log.warning("account %s: a late reply was not sent: a local account has no customer-service API",
                        config.account_id)
            return
        client.call("POST", "message/custom/send", customer_message_body(openid, reply), retry=False)

    def _client(self, account_id: str) -> Any:
        from oa_spec.providers.settings import WeChatSettings
        from oa_spec.providers.wechat_client import Client

        provider = self._accounts[account_id].provider
        if not isinstance(provider, WeChatProviderConfig):
            return None
        with self._lock:
            if account_id not in self._clients:
                secret = self._environ.get(provider.secret_variable, "")
                if not secret:
                    raise RuntimeError(f"account {account_id}: set {provider.secret_variable} to send late replies")
                settings = WeChatSettings(provider.app_id, provider.secret_variable, provider.api_base,
                                          provider.token_endpoint, provider.timeout_seconds)
                self._clients[account_id] = Client(account_id, settings, secret, retry_delays=(0.5,))
            return self._clients[account_id]


@dataclass(frozen=True)
class JobFinishRecorder:
    """Keeps each job-finish event (MASSSENDJOBFINISH, PUBLISHJOBFINISH) with the send it finishes in the
    account's content record, where `oaspec calendar` shows it. Runs off the request path: the platform
    was answered `success` already. The record is bound to the live account the spec names (content/bound.py),
    as apply and publish bind it: an account that kept its id but names another app does not write that app's
    events into the old app's record (attack review 74, a note)."""

    state: State
    accounts: tuple[AccountSpec, ...] = ()

    def __call__(self, account_id: str, fields: Mapping[str, str]) -> None:
        from oa_spec.content.bound import BoundContent
        from oa_spec.content.record import note_job_finish
        from oa_spec.plan.workspace import live_account

        if fields.get("Event") in ("MASSSENDJOBFINISH", "PUBLISHJOBFINISH"):
            store = self.state.content(account_id)
            spec = next((a for a in self.accounts if a.id == account_id), None)
            slot = note_job_finish(store if spec is None else BoundContent(store, live_account(spec)), fields)
            log.info("account %s: %s recorded%s", account_id, fields.get("Event"),
                     f" with {slot}" if slot else ", kept for the send that has not recorded its id yet")


def check_secrets(accounts: list[AccountSpec], state: State, environ: Mapping[str, str] | None = None) -> list[str]:
    """What is missing from the environment, per account (names of variables, never values): the variables
    its applied revision names, since those are the ones the workers will read."""
    problems = []
    for account in accounts:
        try:
            load_secrets(account_gateway(account, served_now(state.history(account.id))), environ)
        except ValueError as exc:
            problems.append(str(exc))
    return problems


def shared_records(state_url: str | None, state: State, state_dir: Path) -> FileIdempotency | PostgresIdempotency:
    """Where the workers keep idempotency records and nonces. A platform retry (or a replay) may reach
    another worker, or one started after a graceful reload (kill -HUP), so even one worker keeps them in
    files under the state directory; with a PostgreSQL state, replicas on every machine share the database's.
    Either says at /healthz when it cannot be reached or written (this worker's memory, or files, stand in)."""
    local = FileIdempotency(state_dir / "gateway" / "idempotency")
    if state_url:
        from oa_spec.backend.pg_state import PostgresState
        from oa_spec.backend.postgres import PostgresBackend

        assert isinstance(state, PostgresState)
        # the machine's files stand in while it is unreachable; the sweep has a connection of its own
        return PostgresIdempotency(state.backend, local, sweep_with=PostgresBackend(state.backend.dsn))
    return local


def serve_applied(spec: Spec, accounts: list[AccountSpec], state_url: str | None, state_dir: Path, host: str,
                  port: int, workers: int, threads: int = 16) -> None:
    """Run the gateway under gunicorn; each worker opens the state (`--state`, or the files under state_dir)
    and loads and follows the applied revisions itself; webhook answers are held to `spec`'s policies."""
    from oa_spec.gateway.server import serve

    serve((), host, port, workers, threads=threads,
          factory=lambda: worker_options(spec, accounts, state_url, state_dir))


def worker_options(spec: Spec, accounts: list[AccountSpec], state_url: str | None, state_dir: Path) -> dict[str, Any]:
    """What each worker builds its GatewayApp from, after the fork: the state it opens, the applied configurations,
    the shared records and what /healthz asks (`started` follows the applied revisions once the app exists)."""
    from oa_spec.history.state import open_state

    state = open_state(state_url, state_dir, connect=False, serving=True)  # boots while the database is down
    applied = AppliedAccounts(accounts, state, spec=spec)
    records = shared_records(state_url, state, state_dir)
    health = [applied.problem, records.problem]
    return {"configs": applied.configs(), "idempotency": records, "health": health,
            "send_customer_message": CustomerServiceSender(accounts), "started": applied.follow,
            "recorder": JobFinishRecorder(state, tuple(accounts))}
