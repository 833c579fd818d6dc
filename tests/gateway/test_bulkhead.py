"""One slow bank service holds its own share of webhook calls, never the pool (attack review 56 F1).

Every module's webhook call queued in one pool of 32 threads per worker, shared with reply-all's extra replies,
late sends and job-finish records: a burst of followers asking a service that answers in 6 s kept that pool's
queue about 50 s long, so a follower of a module that answers at once waited out the budget and got the reply
45 s later, an extra reply and a job-finish record came 40 s late, and 44 replies were dropped.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from oa_spec.gateway.app import GatewayApp
from oa_spec.gateway.bulkhead import Bulkhead, Handoff
from oa_spec.gateway.config import Reply
from oa_spec.gateway.simulator import PushResult, event_message, text_message
from tests.gateway.helpers import ENV_HOOK, account
from tests.gateway.servers import FakeWebhook, running
from tests.gateway.test_app import simulator


def test_a_module_gets_a_share_of_the_calls_and_none_waits() -> None:
    calls = Bulkhead(total=4, per_module=2)
    assert [calls.enter(("bank", "slow")) for _ in range(3)] == [True, True, False]  # its share, then refused
    assert calls.enter(("bank", "fast")) and calls.enter(("bank", "fast"))
    assert not calls.enter(("other", "x"))  # the pool is full: refused at once, never queued
    calls.leave(("bank", "slow"))
    assert calls.enter(("other", "x")) and calls.in_flight() == 4


def test_a_reply_is_sent_by_the_request_or_by_the_call_never_both_or_neither() -> None:
    given_up_first = Handoff()
    assert given_up_first.give_up() and given_up_first.finished()  # the call sends it late
    finished_first = Handoff()
    assert not finished_first.finished() and not finished_first.give_up()  # the request answers with it
    raced = [Handoff() for _ in range(200)]
    with ThreadPoolExecutor(max_workers=2) as both:
        sides = [(both.submit(h.give_up), both.submit(h.finished)) for h in raced]
        late = [(request.result(), call.result()) for request, call in sides]
    assert all(request == call for request, call in late)  # given up exactly when the call sends it


class Recorded:
    """Customer-service sends and job-finish records, with when they came."""

    def __init__(self) -> None:
        self.began = time.monotonic()
        self.sent: list[tuple[float, str | None]] = []
        self.jobs: list[float] = []

    def send(self, _account: Any, _openid: str, reply: Reply) -> None:
        self.sent.append((time.monotonic() - self.began, reply.text))

    def record(self, _account: str, _fields: Any) -> None:
        self.jobs.append(time.monotonic() - self.began)


def test_a_slow_service_under_a_burst_delays_no_other_module_extra_reply_or_record() -> None:
    slow, fast = FakeWebhook("余额稍后告知", delay_s=1.5), FakeWebhook("今日利率 1.5%")
    config = account("safe", click_actions={"RATES": {"module": "rates"}},
                     modules=[{"id": "balance", "webhook": {"url": slow.url, "timeout_s": 3.0, "secret_env": "T_HOOK"}},
                              {"id": "rates", "webhook": {"url": fast.url, "timeout_s": 3.0, "secret_env": "T_HOOK"}}],
                     keyword_rules=[{"name": "hours", "keywords": [{"match": "contains", "keyword": "营业时间"}],
                                     "replies": ["工作日 9:00-17:00", "周末 10:00-16:00"], "reply_mode": "reply_all"},
                                    {"name": "balance", "keywords": [{"match": "contains", "keyword": "余额"}],
                                     "replies": ["余额请在手机银行查询"], "module": "balance"}])
    seen = Recorded()
    app = GatewayApp([config], environ=ENV_HOOK, send_customer_message=seen.send, recorder=seen.record, workers=8,
                     budget_s=1.0)
    try:
        with running(app) as url, ThreadPoolExecutor(max_workers=12) as followers:
            burst = [followers.submit(simulator(url, attempts=1).push,
                                      text_message("查余额", openid=f"oBalance{n:019d}")) for n in range(12)]
            time.sleep(0.3)  # the slow service's share is full, and more of its followers are arriving
            began = time.monotonic()
            rates = simulator(url, attempts=1).push(event_message("CLICK", "RATES", openid="oRates0000000000000000000"))
            took = time.monotonic() - began
            hours = simulator(url, attempts=1).push(text_message("营业时间", openid="oHours0000000000000000000"))
            job = simulator(url, attempts=1).push(event_message("PUBLISHJOBFINISH"))
            asked = time.monotonic() - seen.began
            time.sleep(0.3)
            answered: list[PushResult] = [click.result() for click in burst]
    finally:
        slow.close()
        fast.close()
    assert rates.reply is not None and rates.reply["Content"] == "今日利率 1.5%" and took < 0.5, (rates, took)
    assert hours.reply is not None and job.status == 200
    assert any(text == "周末 10:00-16:00" and when < asked + 0.3 for when, text in seen.sent), seen.sent
    assert seen.jobs and seen.jobs[0] < asked + 0.3, (seen.jobs, asked)
    # the slow service had its share (8 // 4 = 2 calls); the rest of its followers got the reply's own text at once
    assert len(slow.calls) == 2, len(slow.calls)
    own_text = [r for r in answered if r.reply is not None and r.reply["Content"] == "余额请在手机银行查询"]
    assert len(own_text) == 10 and all(r.status == 200 for r in answered), answered
