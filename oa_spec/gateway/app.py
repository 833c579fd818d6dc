"""The WSGI application: /wx/<account_id>, /healthz, /metrics.

Never "该公众号暂时无法提供服务": every accepted message is answered within the internal budget (4.5 s of the
platform's 5). Work that overruns the budget is answered `success` and its reply goes out through the
customer-service API when ready; any internal error answers `success` and is logged. Rejected requests get a
fixed short status and body that say nothing about why (the reason goes to the log and metrics).
"""

from __future__ import annotations

import gc
import logging
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import replace
from typing import Any

from oa_spec import limits
from oa_spec.gateway.answer_policy import REFUSED, RefusedAnswer
from oa_spec.gateway.arrival import arrived_at
from oa_spec.gateway.bulkhead import USEFUL_S, Handoff, ModuleCalls, ModuleKey, Shares
from oa_spec.gateway.config import (
    MODES,
    AccountGateway,
    GatewayConfigError,
    Reply,
)
from oa_spec.gateway.dedup import ABANDONED, DEFERRED, RETAKEN, Idempotency, MemoryIdempotency, message_key
from oa_spec.gateway.metrics import GatewayMetrics, log_access
from oa_spec.gateway.outbound import MIN_CALL_S, SendCustomerMessage, WebhookError, call_webhook
from oa_spec.gateway.protocol import (
    Incoming,
    ProtocolError,
    ReplayGuard,
    callback_query,
    open_request,
    read_body,
    reply_xml,
    seal,
    transfer_xml,
    verify_url,
    with_follower,
    without_follower,
)
from oa_spec.gateway.router import BUSY_TEXT, Outcome
from oa_spec.gateway.runtime import AccountRuntime, FaqFactory, IdleAccount, build_runtime, default_faq_factory
from oa_spec.util.display import visible
from oa_spec.util.repeats import Repeats

BUDGET_S = 4.5
# A message's first attempt records its reply within the budget: a record claimed this long past it without one was
# left by a worker killed or restarted mid-message, and one retry answers in its place (attack review 77's note).
ABANDONED_AFTER_S = 1.0
RETRY_SPAN_S = limits.CALLBACK_ATTEMPTS * limits.CALLBACK_TIMEOUT_SECONDS  # a message's last attempt, after its first
# Requests that may wait on a module's webhook at once (split between the served accounts, half an account's for
# one module: bulkhead.Shares); past them a module's message is answered `success` at once and its reply sent
# through customer service, so that slow webhooks never hold every thread (attack reviews 55, 57 to 59).
WAITING_SLOTS = 8
# A click, follow or scan opens customer-service sends for about a minute (gateway.md): a reply later than
# this is dropped (and logged) rather than sent into a closed window or to a customer who has moved on.
LATE_DELIVERY_MAX_S = 50.0
SEND_MARGIN_S = 1.0  # the end of the window kept for sending a module's late reply, not for its call (a fifth of a
# shorter window)
SUCCESS = "success"
log = logging.getLogger("oa_spec.gateway")

Environ = dict[str, Any]
StartResponse = Callable[..., Any]
JobRecorder = Callable[[str, Mapping[str, str]], None]
Computed = tuple[str, Reply | None, tuple[str, ...]]  # the reply's XML, the reply, rules that refused an answer
# What /healthz asks: None while a part is well, else what is wrong (no secrets, no message content).
HealthCheck = Callable[[], str | None]


def window_opened(fields: Mapping[str, str], arrived: float) -> float:
    """When the message opened the customer-service window, on the monotonic clock: its CreateTime, as the attempt
    that computes its reply is a retry 5 or 10 s after the click when the first never reached a worker (attack review
    77's note), trusted at most the platform's retry span back, since its clock and this machine's may differ."""
    try:
        age = time.time() - int(fields.get("CreateTime", "")) - 1  # whole seconds: sent before the next one
    except ValueError:
        return arrived
    return arrived - min(max(age, 0.0), RETRY_SPAN_S)


class GatewayApp:
    def __init__(self, configs: Iterable[AccountGateway], *, environ: Mapping[str, str] | None = None,
                 send_customer_message: SendCustomerMessage | None = None, recorder: JobRecorder | None = None,
                 idempotency: Idempotency | None = None, budget_s: float = BUDGET_S,
                 faq_factory: FaqFactory = default_faq_factory,
                 late_delivery_max_s: float = LATE_DELIVERY_MAX_S, health: Sequence[HealthCheck] = (),
                 waiting_slots: int = WAITING_SLOTS, module_calls: ModuleCalls | None = None) -> None:
        self._environ, self._faq_factory, self._health = environ, faq_factory, tuple(health)
        self._accounts: dict[str, AccountRuntime | IdleAccount] = {}
        # Each module calls its webhook on threads of its own; sends and records have theirs, which no webhook can
        # fill (attack reviews 56, 57).
        self._calls = module_calls or ModuleCalls()
        self._waiting = Shares(waiting_slots)
        self.unserved = self.replace_accounts(configs)
        self._send = send_customer_message
        self._recorder = recorder
        self._idempotency = idempotency or MemoryIdempotency()
        self._guard = ReplayGuard(self._idempotency)
        self._budget, self._late_max = budget_s, late_delivery_max_s
        self._chores = ThreadPoolExecutor(max_workers=4, thread_name_prefix="oaspec-gw-send")
        self._repeats = Repeats()
        self.metrics = GatewayMetrics()

    def replace_accounts(self, configs: Iterable[AccountGateway]) -> list[str]:
        """Swap in a new applied configuration atomically; requests in flight finish on the old one. An account
        whose new configuration cannot be served (a variable it names is not set here) keeps the one in place,
        whole, or, in a worker that never served it (one booting) and after a switch to a stricter mode, is idle:
        answered `success`, acted on by nothing (never a worker that fails to boot: gunicorn would halt the
        replica; never a 404, the platform's 暂时无法提供服务); what is wrong is returned, for /healthz."""
        fresh: dict[str, AccountRuntime | IdleAccount] = {}
        problems = []
        for config in configs:
            if config.unread:  # the spec's own settings may be weaker than the applied revision's: none decides
                fresh[config.account_id] = IdleAccount("unread")
                continue
            try:
                fresh[config.account_id] = build_runtime(config, self._environ, self._faq_factory)
            except GatewayConfigError as exc:
                kept = self._accounts.get(config.account_id)
                if isinstance(kept, IdleAccount) or (
                        kept is not None and MODES.index(kept.config.mode) < MODES.index(config.mode)):
                    kept = None  # never keep taking plaintext the applied revision forbids (a downgrade)
                log.error("%s; %s", exc, "still serving the configuration in place" if kept else
                          "answering `success` for it (no reply) and acting on nothing")
                fresh[config.account_id] = kept or IdleAccount("unserved")
                problems.append(f"{exc}: its new applied configuration is not served"
                                + ("" if kept else ", and this worker serves none for it"))
        self._accounts = fresh
        self._calls.retire({(a, m) for a, runtime in fresh.items() if isinstance(runtime, AccountRuntime)
                            for m in runtime.config.modules})
        self._waiting.spread(len(fresh))
        # The compiled configuration lives as long as the process: keep the cyclic GC from re-scanning its
        # objects (10,000 keyword rules made full collections show up in p99 latency).
        gc.freeze()
        return problems

    def __call__(self, environ: Environ, start_response: StartResponse) -> list[bytes]:
        taken_up = time.monotonic()
        started = arrived_at() or taken_up  # the time it waited for a thread counts against the budget too
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "GET")
        account_id, status, outcome = "", "404 Not Found", "not_found"
        body = b"not found"
        try:
            if path == "/healthz":
                problems = self._problems()
                said = "degraded: " + "; ".join(problems) if problems else "ok"
                status, body, outcome = "200 OK", said.encode(), "health"
            elif path == "/metrics":
                self._problems()
                status, body, outcome = "200 OK", self.metrics.render(), "metrics"
            elif path.startswith("/wx/") and path.count("/") == 2:
                account_id = path[4:]
                status, body, outcome = self._callback(account_id, method, environ, started)
        except Exception:  # the last line of defence: never a traceback to the platform
            log.exception("internal error on %s", visible(path))  # the sender's path: spelled out, never acted on
            status, body, outcome = "200 OK", SUCCESS.encode(), "internal_error"
        elapsed = time.monotonic() - started
        # an unknown account is counted as one: a label per path sent would grow /metrics without bound
        self.metrics.observe(account_id if account_id in self._accounts else "-", outcome, elapsed)
        log_access(method, path, status, outcome, (elapsed, taken_up - started), account_id)
        # only a reply is XML; the echoed echostr is the platform's text, never markup a browser runs
        xml = method == "POST" and status == "200 OK" and body.startswith(b"<")
        start_response(status, [("Content-Type", "application/xml; charset=utf-8" if xml else
                                  "text/plain; charset=utf-8"), ("X-Content-Type-Options", "nosniff"),
                                 ("Content-Length", str(len(body)))])
        return [body]

    def _problems(self) -> list[str]:
        """A degraded replica still answers every message (from what it holds), so /healthz stays 200 and says
        what is wrong; the load balancer keeps it, monitoring alerts on the body or on oaspec_gateway_degraded."""
        problems = [problem for check in self._health if (problem := check()) is not None]
        self.metrics.degraded(len(problems))
        return problems

    def _callback(self, account_id: str, method: str, environ: Environ, started: float) -> tuple[str, bytes, str]:
        runtime = self._accounts.get(account_id)
        if runtime is None:
            return "404 Not Found", b"not found", "unknown_account"
        if isinstance(runtime, IdleAccount):  # accept nothing, act on nothing, never the platform's error
            if method != "POST":
                return "403 Forbidden", b"forbidden", runtime.outcome
            return "200 OK", SUCCESS.encode(), runtime.outcome
        query = callback_query(environ.get("QUERY_STRING", ""))
        try:
            if method == "GET":
                return "200 OK", verify_url(runtime.secrets.token, query).encode(), "verified"
            if method != "POST":
                return "405 Method Not Allowed", b"method not allowed", "bad_method"
            incoming = open_request(runtime.config, runtime.secrets, query, lambda: read_body(environ), self._guard)
        except ProtocolError as exc:
            self.metrics.rejected(account_id, exc.reason)
            return "403 Forbidden", b"forbidden", f"rejected:{exc.reason}"
        answer, outcome = self._answer(runtime, incoming, started)
        if answer != SUCCESS and incoming.encrypted:
            answer = seal(answer, runtime.secrets, runtime.config.app_id, incoming.timestamp, incoming.nonce)
        return "200 OK", answer.encode(), outcome

    def _answer(self, runtime: AccountRuntime, incoming: Incoming, started: float) -> tuple[str, str]:
        fields = incoming.fields
        outcome = runtime.router.route(fields)
        if outcome.kind == "job_finished":  # acknowledged at once; recorded off the request path
            if self._recorder is not None and not incoming.retry:
                self._later(self._record_job, runtime.config.account_id, fields)
            return SUCCESS, "job_finished"
        key = message_key(runtime.config.account_id, fields)
        if not self._idempotency.claim(key):
            found = self._idempotency.wait(key, self._remaining(started), self._budget + ABANDONED_AFTER_S)
            if found == ABANDONED and self._idempotency.claim(key + RETAKEN):  # its owner stopped mid-message
                answer = self._own_text(runtime, fields, outcome)  # a webhook it may have called is not called again
                self._idempotency.finish(key, without_follower(answer, fields))
                return answer, "retaken"
            return (SUCCESS if found in (None, DEFERRED, ABANDONED) else with_follower(str(found), fields)), "retry"
        if incoming.retry:  # a replay of a request whose record is gone: do nothing twice
            self._idempotency.finish(key, SUCCESS)
            return SUCCESS, "replay"
        if outcome.kind != "module":  # nothing slow to wait for: answer inline, no thread hop
            answer = self._compute(runtime, fields, outcome)[0]
            self._idempotency.finish(key, without_follower(answer, fields))
            return answer, outcome.source or outcome.kind
        return self._answer_module(runtime, incoming, outcome, key, started)

    def _answer_module(self, runtime: AccountRuntime, incoming: Incoming, outcome: Outcome, key: str,
                       started: float) -> tuple[str, str]:
        """A module's reply: its webhook called on one of the module's own threads if it can be in time, waited on
        while this request has a waiting slot and budget left; else `success` now and the reply sent late."""
        fields = incoming.fields
        call = (runtime.config.account_id, outcome.module or "")
        handoff, opened = Handoff(), window_opened(fields, started)
        hook = runtime.config.modules[call[1]].webhook
        work = self._calls.submit(call, lambda: self._call_module(call, handoff, runtime, fields, outcome,
                                                                  incoming.vouched, opened),
                                  self._cutoff(opened), hook.timeout_s if hook else 0.0,
                                  min(USEFUL_S, self._late_max / 10))
        if work is None:  # it could not end within the window: the reply's own text at once (a click has none)
            if self._repeats.due(f"busy {call}", ""):
                log.warning("account %s: module %s has as many webhook calls waiting or in flight as can end within "
                            "the customer-service window: its next followers get the reply's own text (a click: %s), "
                            "the webhook not called", *call, BUSY_TEXT)
            answer = self._own_text(runtime, fields, outcome)
            self._idempotency.finish(key, without_follower(answer, fields))
            return answer, "module_busy"
        waiting = self._waiting.enter(call)  # none free: keep this thread for other followers
        try:
            try:
                answer, _, refused = work.result(timeout=self._remaining(started) if waiting else 0)
            except FutureTimeout:
                if handoff.give_up():  # the call sends its reply through customer service when it has one
                    self._idempotency.finish(key, DEFERRED)
                    return SUCCESS, "deferred" if waiting else "deferred_busy"
                answer, _, refused = work.result()  # it finished as the budget ran out: answered here after all
        except Exception:
            log.exception("account %s: computing a reply failed", runtime.config.account_id)
            self._idempotency.finish(key, SUCCESS)
            return SUCCESS, "internal_error"
        finally:
            if waiting:
                self._waiting.leave(call)
        self._idempotency.finish(key, without_follower(answer, fields))
        return answer, f"{REFUSED}:{','.join(refused)}" if refused else outcome.source or outcome.kind

    def _own_text(self, runtime: AccountRuntime, fields: Mapping[str, str], outcome: Outcome) -> str:
        """The reply without calling a module's webhook: a module's own text (BUSY_TEXT for a click, which has none)."""
        if outcome.kind != "module":
            return self._compute(runtime, fields, outcome)[0]
        own = outcome.replies or (Reply(BUSY_TEXT),)
        return self._compute(runtime, fields, replace(outcome, module=None, replies=own))[0]

    def _cutoff(self, started: float) -> float:
        """When a module's call for a message sent at `started` ends, its reply still sent in the window."""
        return started + self._late_max - min(SEND_MARGIN_S, self._late_max / 5)

    def _remaining(self, started: float) -> float:
        return max(0.0, self._budget - (time.monotonic() - started))

    def _call_module(self, call: ModuleKey, handoff: Handoff, runtime: AccountRuntime, fields: Mapping[str, str],
                     outcome: Outcome, vouched: bool, started: float) -> Computed:
        """A module's reply, on one of the module's threads; sent late, on its sending threads (this one is free
        for the module's next call), when the request gave up on it."""
        try:
            result = self._compute(runtime, fields, outcome, vouched, started)
        except Exception as exc:
            if handoff.finished():
                self._calls.send(call, self._deliver_late, runtime, fields, None, started, exc)
            raise
        if handoff.finished():
            self._calls.send(call, self._deliver_late, runtime, fields, result[1], started)
        return result

    def _compute(self, runtime: AccountRuntime, fields: Mapping[str, str], outcome: Outcome,
                 vouched: bool = True, started: float | None = None) -> Computed:
        """The passive reply XML (or success), the reply, and the rules that refused a webhook's answer; extra
        replies of a reply-all rule go through customer service. A webhook is called only for a request every
        replica knows of (`vouched`): it runs once, at most until a reply to the message `started` then could no
        longer be sent."""
        now = int(time.time())
        if outcome.kind == "transfer":
            return transfer_xml(fields, now), None, ()
        replies, refused = outcome.replies, tuple[str, ...]()
        module = outcome.module if outcome.kind == "module" else None
        if module is not None and not vouched:
            log.warning("account %s: the shared records are unreachable: module %s answered with its configured "
                        "text, its webhook not called", runtime.config.account_id, module)
        elif module is not None:
            try:
                replies = (self._run_module(runtime, fields, module, started or time.monotonic()),)
            except WebhookError as exc:
                refused = self._refused(runtime.config.account_id, exc)
                if not replies and not refused:  # nothing to fall back on: answered `success`, logged by the caller
                    raise
                log.warning("account %s: %s; %s", runtime.config.account_id, exc,
                            "answered with the configured text" if replies else "no reply (a click has no text)")
        if not replies:
            return SUCCESS, None, refused
        for extra in replies[1:]:
            self._later(self._send_safely, runtime.config, fields.get("FromUserName", ""), extra)
        return reply_xml(fields, replies[0], now, to_message=fields.get("MsgType") != "event"), replies[0], refused

    def _refused(self, account_id: str, error: WebhookError) -> tuple[str, ...]:
        """The rules that refused a webhook's answer (counted), or () when it failed otherwise."""
        rules = error.rules if isinstance(error, RefusedAnswer) else ()
        for rule in rules:
            self.metrics.refused(account_id, rule)
        return rules

    def _run_module(self, runtime: AccountRuntime, fields: Mapping[str, str], module_id: str,
                    started: float) -> Reply:
        module = runtime.config.modules[module_id]
        payload = {"account": runtime.config.account_id, "module": module_id, "openid": fields.get("FromUserName"),
                   "msg_type": fields.get("MsgType"), "event": fields.get("Event"),
                   "event_key": fields.get("EventKey"), "content": fields.get("Content")}
        # The webhook's timeout_seconds is a deadline for the whole call (below the budget, its failure answers
        # with the reply's text at once); past the budget, a reply later than the customer-service window is
        # dropped, so the call ends with the window, never holding a worker thread for a service that trickles.
        left = self._cutoff(started) - time.monotonic()
        if left <= MIN_CALL_S:  # it waited behind its module's calls past the window: its reply could not be sent
            raise WebhookError(f"module {module_id}: not called: the customer-service window has passed")
        reply = call_webhook(module, payload, left, self._environ)
        assert runtime.answers is not None  # call_webhook answered: the module has a webhook (build_runtime)
        refused = runtime.answers.refused(reply)  # what the service says, held to every text's rules
        if refused:
            raise RefusedAnswer(module_id, refused)
        return reply

    def _later(self, job: Callable[..., None], *args: Any) -> None:
        try:
            self._chores.submit(job, *args)
        except RuntimeError:  # the worker is shutting down
            log.warning("a reply was not sent: the gateway is shutting down")

    def _deliver_late(self, runtime: AccountRuntime, fields: Mapping[str, str], reply: Reply | None,
                      started: float, error: BaseException | None = None) -> None:
        if time.monotonic() - started > self._late_max:  # a webhook is cut there: its failure is no reply either
            log.warning("account %s: a reply ready after %.0f s was dropped (past the customer-service window)%s",
                        runtime.config.account_id, time.monotonic() - started, f": {error}" if error else "")
            return
        if error is not None:
            log.error("account %s: late reply failed", runtime.config.account_id, exc_info=error)
            return
        if reply is not None:
            self.metrics.deferred(runtime.config.account_id)
            self._send_safely(runtime.config, fields.get("FromUserName", ""), reply)

    def _send_safely(self, config: AccountGateway, openid: str, reply: Reply) -> None:
        if self._send is None:
            log.warning("account %s: a reply could not be delivered (no customer-service sender)", config.account_id)
            return
        try:
            self._send(config, openid, reply)
        except Exception:
            log.exception("account %s: customer-service send failed", config.account_id)

    def _record_job(self, account_id: str, fields: Mapping[str, str]) -> None:
        try:
            assert self._recorder is not None
            self._recorder(account_id, fields)
        except Exception:
            log.exception("account %s: recording a job-finish event failed", account_id)

