"""One slow bank service delays no one else's replies (attack reviews 56 and 57).

Review 56: every module's webhook call queued in one pool of 32 threads per worker, shared with reply-all's extra
replies and job-finish records, so a burst of followers asking a service that answers in 6 s made a fast
module's follower wait 45 s, an extra reply and a record 40 s, and dropped 44 replies. Review 57, of the first
fix (32 calls a worker, 8 a module, refused past that): a click past its module's share got no reply at all,
four slow modules of one bank refused every other bank's calls, and one module's followers took every waiting
slot. Now each module calls on threads of its own with a bounded backlog, and the waiting slots have a share
per account and per module; every test runs with the production numbers unless it says otherwise.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import Any

from oa_spec.gateway.app import GatewayApp
from oa_spec.gateway.bulkhead import Handoff, ModuleCalls, Shares
from oa_spec.gateway.config import AccountGateway, Reply
from oa_spec.gateway.router import BUSY_TEXT
from oa_spec.gateway.simulator import PlatformSimulator, PushResult, event_message, text_message
from tests.gateway.helpers import ENV_HOOK, OFFICIAL_APPID, OFFICIAL_KEY, OFFICIAL_TOKEN, account
from tests.gateway.servers import FakeWebhook, running


def test_a_module_waits_only_behind_its_own_calls_and_its_backlog_is_bounded() -> None:
    calls = ModuleCalls(per_module=1, backlog=2)
    window = time.monotonic() + 50
    slow = [calls.submit(("bank", "slow"), lambda: time.sleep(0.5), window, 3) for _ in range(3)]
    began = time.monotonic()
    fast = calls.submit(("bank", "fast"), lambda: "at once", window, 3)
    assert fast is not None and fast.result(timeout=2) == "at once" and time.monotonic() - began < 0.3
    assert slow[2] is None and calls.admitted(("bank", "slow")) == 2  # past its backlog: nothing runs
    for work in slow[:2]:
        assert work is not None
        work.result(timeout=3)
    assert calls.admitted(("bank", "slow")) == 0


def test_a_module_takes_no_more_calls_than_can_end_within_the_window_at_their_timeouts() -> None:
    calls = ModuleCalls()  # 8 threads a module, 64 calls at most
    window = time.monotonic() + 49
    running = threading.Event()  # the calls run until all are submitted: none ends early on a loaded machine
    admitted = [calls.submit(("bank", "m"), lambda: running.wait(5), window, timeout_s=30) for _ in range(17)]
    assert sum(work is not None for work in admitted) == 16  # a third round would start past the window
    assert calls.submit(("bank", "quick"), lambda: None, window, timeout_s=3) is not None
    running.set()
    for work in admitted:
        if work is not None:
            work.result(timeout=2)
    held = threading.Event()  # as above: a call that ended during the loop would make room for one more
    assert sum(calls.submit(("bank", "m"), lambda: held.wait(5), window, 3) is not None for _ in range(80)) == 64
    held.set()


def test_calls_admitted_at_a_longer_timeout_count_at_it_after_an_apply_shortens_it() -> None:
    """Review 59: the backlog was sized at the new, shorter timeout while the calls before it still took the old
    one, so followers let in behind them got no reply at all."""
    calls = ModuleCalls(per_module=2)
    window = time.monotonic() + 3.0
    before = [calls.submit(("bank", "m"), lambda: time.sleep(0.3), window, timeout_s=2.5) for _ in range(2)]
    time.sleep(0.05)  # both running, each may take 2.5 s
    after = calls.submit(("bank", "m"), lambda: None, window, timeout_s=0.5)  # would start at 2.6 s, end at 3.2 s
    assert all(work is not None for work in before) and after is None
    for work in before:
        assert work is not None
        work.result(timeout=2)


def test_the_threads_of_a_module_no_longer_served_go_when_its_calls_end() -> None:
    """Review 59: a module removed while it had calls kept its threads until some later apply."""
    calls = ModuleCalls(per_module=2, backlog=4)
    window = time.monotonic() + 50
    running = calls.submit(("bank", "old"), lambda: time.sleep(0.3), window, 3)
    assert running is not None and calls.submit(("bank", "kept"), lambda: None, window, 3) is not None
    calls.retire({("bank", "kept")})  # its call still runs to the end
    running.result(timeout=2)
    time.sleep(0.1)
    assert not [t for t in threading.enumerate() if t.name.startswith("oaspec-gw-bank-old")]


def test_waiting_slots_are_split_between_the_accounts_and_half_an_accounts_for_one_module() -> None:
    slots = Shares(8)
    slots.spread(2)  # two served accounts: four each, two for one module
    assert [slots.enter(("a", "m1")) for _ in range(3)] == [True, True, False]
    assert slots.enter(("a", "m2")) and slots.enter(("a", "m2")) and not slots.enter(("a", "m3"))
    assert all(slots.enter(("b", f"m{n // 2}")) for n in range(4))  # the other account's four are all there
    slots.spread(4)  # two more accounts served: two each, one for a module
    slots.leave(("a", "m1"))
    assert not slots.enter(("a", "m9")) and not Shares(0).enter(("a", "m"))  # a holds three of its two; none of none
    slots.spread(9)  # more accounts than slots (review 59: shares of one each took a ninth bank's): none waits
    assert not slots.enter(("z", "m"))


def test_an_account_named_like_another_accounts_module_has_its_own_share() -> None:
    slots = Shares(8)
    slots.spread(2)
    assert slots.enter(("account", "citybank")) and slots.enter(("account", "citybank"))  # module citybank's two
    assert all(slots.enter(("citybank", f"m{n}")) for n in range(4))  # account citybank's four: untouched


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
        self.sent: list[tuple[float, str, str | None]] = []
        self.jobs: list[float] = []

    def send(self, _account: Any, openid: str, reply: Reply) -> None:
        self.sent.append((time.monotonic() - self.began, openid, reply.text))

    def record(self, _account: str, _fields: Any) -> None:
        self.jobs.append(time.monotonic() - self.began)


def _module(module_id: str, hook: FakeWebhook, timeout_s: float = 3.0) -> dict[str, Any]:
    return {"id": module_id, "webhook": {"url": hook.url, "timeout_s": timeout_s, "secret_env": "T_HOOK"}}


def _bank(slow: FakeWebhook, fast: FakeWebhook, slow_modules: int = 1, slow_timeout_s: float = 3.0) -> AccountGateway:
    """A click key per slow module (no text of its own) and RATES, a keyword 余额 answered by the first slow
    module (its text when it cannot be), and a reply-all keyword."""
    return account(
        "safe", click_actions={**{f"SLOW{n}": {"module": f"slow{n}"} for n in range(slow_modules)},
                               "RATES": {"module": "rates"}},
        modules=[*(_module(f"slow{n}", slow, slow_timeout_s) for n in range(slow_modules)), _module("rates", fast)],
        keyword_rules=[{"name": "hours", "keywords": [{"match": "contains", "keyword": "营业时间"}],
                        "replies": ["工作日 9:00-17:00", "周末 10:00-16:00"], "reply_mode": "reply_all"},
                       {"name": "balance", "keywords": [{"match": "contains", "keyword": "余额"}],
                        "replies": ["余额请在手机银行查询"], "module": "slow0"}])


def _platform(url: str, account_id: str = "citybank") -> PlatformSimulator:
    return PlatformSimulator(f"{url}/wx/{account_id}", OFFICIAL_TOKEN, app_id=OFFICIAL_APPID, aes_key=OFFICIAL_KEY,
                             attempts=1)


def _burst(url: str, followers: ThreadPoolExecutor, fields: list[dict[str, str]],
           account_id: str = "citybank") -> list[Any]:
    return [followers.submit(_platform(url, account_id).push, f) for f in fields]


def _clicks(key: str, count: int, prefix: str) -> list[dict[str, str]]:
    return [event_message("CLICK", key, openid=f"o{prefix}{n:020d}") for n in range(count)]


def test_a_slow_service_under_a_burst_delays_no_other_module_extra_reply_or_record() -> None:
    slow, fast = FakeWebhook("余额 1,234.56 元", delay_s=1.0), FakeWebhook("今日利率 1.5%")
    seen = Recorded()
    app = GatewayApp([_bank(slow, fast)], environ=ENV_HOOK, send_customer_message=seen.send, recorder=seen.record,
                     budget_s=0.6)
    try:
        with running(app) as url, ThreadPoolExecutor(max_workers=12) as followers:
            burst = _burst(url, followers, _clicks("SLOW0", 12, "Slow"))  # more than its 8 threads and 2 slots
            time.sleep(0.3)
            began = time.monotonic()
            rates = _platform(url).push(event_message("CLICK", "RATES", openid="oRates0000000000000000000"))
            took = time.monotonic() - began
            hours = _platform(url).push(text_message("营业时间", openid="oHours0000000000000000000"))
            job = _platform(url).push(event_message("PUBLISHJOBFINISH"))
            asked = time.monotonic() - seen.began
            answered: list[PushResult] = [click.result() for click in burst]
            time.sleep(1.5)  # the clicks queued behind the module's own 8 calls are made and sent
    finally:
        slow.close()
        fast.close()
    assert rates.reply is not None and rates.reply["Content"] == "今日利率 1.5%" and took < 0.4, (rates, took)
    assert hours.reply is not None and job.status == 200
    assert any(text == "周末 10:00-16:00" and when < asked + 0.3 for when, _, text in seen.sent), seen.sent
    assert seen.jobs and seen.jobs[0] < asked + 0.3, (seen.jobs, asked)
    # every click got its reply: none within the budget (1 s service), each through customer service, once
    assert all(r.status == 200 and r.reply is None for r in answered) and len(slow.calls) == 12
    late = sorted(openid for _, openid, text in seen.sent if text == "余额 1,234.56 元")
    assert late == sorted(f["FromUserName"] for f in _clicks("SLOW0", 12, "Slow")), seen.sent


def test_past_its_backlog_a_module_answers_with_its_own_text_at_once() -> None:
    slow, fast = FakeWebhook("余额 1,234.56 元", delay_s=1.0), FakeWebhook("今日利率 1.5%")
    app = GatewayApp([_bank(slow, fast)], environ=ENV_HOOK, budget_s=0.6,
                     module_calls=ModuleCalls(per_module=2, backlog=3))
    try:
        with running(app) as url, ThreadPoolExecutor(max_workers=6) as followers:
            asked = [text_message("查余额", openid=f"oAsks{n:021d}") for n in range(6)]
            answered: list[PushResult] = [a.result() for a in _burst(url, followers, asked)]
            time.sleep(1.2)  # the third admitted call, queued behind the module's two, is made
    finally:
        slow.close()
        fast.close()
    own_text = [r for r in answered if r.reply is not None and r.reply["Content"] == "余额请在手机银行查询"]
    assert len(own_text) == 3 and len(slow.calls) == 3, (answered, len(slow.calls))


def test_other_banks_slow_modules_leave_a_banks_webhooks_and_slots_alone() -> None:
    """Review 57: four slow modules of one bank refused another bank's calls; review 58: two banks' slow modules
    took every waiting slot from a third."""
    slow, fast = FakeWebhook("稍后", delay_s=1.0), FakeWebhook("今日利率 1.5%")
    banks = [replace(_bank(slow, fast, slow_modules=4), account_id=name) for name in ("citybank", "townbank")]
    thirdbank = replace(_bank(slow, fast), account_id="thirdbank")
    app = GatewayApp([*banks, thirdbank], environ=ENV_HOOK, budget_s=0.6)
    try:
        with running(app) as url, ThreadPoolExecutor(max_workers=64) as followers:
            burst = [work for bank in ("citybank", "townbank") for n in range(4)
                     for work in _burst(url, followers, _clicks(f"SLOW{n}", 8, f"{bank[0]}{n}"), bank)]
            time.sleep(0.3)  # 64 calls in flight, every slot the two banks may take is taken
            began = time.monotonic()
            rates = _platform(url, "thirdbank").push(event_message("CLICK", "RATES", openid="oThird000000000000000000"))
            took = time.monotonic() - began
            for click in burst:
                click.result()
    finally:
        slow.close()
        fast.close()
    assert rates.reply is not None and rates.reply["Content"] == "今日利率 1.5%" and took < 0.4, (rates, took)


def test_followers_within_a_modules_backlog_get_its_reply_in_time_and_the_rest_its_text_at_once() -> None:
    """Review 58: 64 queued calls at a slow webhook's timeout ended past the customer-service window, so followers
    inside the backlog got nothing while those past it got the text at once (window scaled to 3 s here)."""
    slow, fast = FakeWebhook("余额 1,234.56 元", delay_s=0.9), FakeWebhook("今日利率 1.5%")
    seen = Recorded()
    app = GatewayApp([_bank(slow, fast, slow_timeout_s=1.0)], environ=ENV_HOOK, budget_s=0.3, late_delivery_max_s=3.0,
                     send_customer_message=seen.send)
    try:
        with running(app) as url, ThreadPoolExecutor(max_workers=40) as followers:
            asked = [text_message("查余额", openid=f"oAsks{n:021d}") for n in range(40)]
            answered: list[PushResult] = [a.result() for a in _burst(url, followers, asked)]
            own_text = {f["FromUserName"] for f, r in zip(asked, answered, strict=True)
                        if r.reply is not None and r.reply["Content"] == "余额请在手机银行查询"}
            deadline = time.monotonic() + 5  # the window is 3 s: every late reply is in by then
            while len(seen.sent) + len(own_text) < len(asked) and time.monotonic() < deadline:
                time.sleep(0.05)
    finally:
        slow.close()
        fast.close()
    late = [openid for _, openid, _ in seen.sent]  # the webhook's reply, or the text when the call was cut
    # each follower got one answer, never none: the text at once, or a call made in time for its reply to be
    # sent (rounds of eight at a 1 s timeout, more as the threads came free), not all 40
    assert sorted([*late, *own_text]) == sorted(f["FromUserName"] for f in asked), (len(late), len(own_text))
    assert own_text and len(slow.calls) == len(late), (len(own_text), len(slow.calls), len(late))


def test_an_apply_renaming_modules_leaves_no_threads_behind() -> None:
    hook = FakeWebhook("好的", delay_s=0.1)

    def revision(number: int) -> AccountGateway:
        return account("safe", click_actions={"Q": {"module": f"m{number}"}}, modules=[_module(f"m{number}", hook)])

    app = GatewayApp([revision(0)], environ=ENV_HOOK, budget_s=1.0)
    try:
        with running(app) as url:
            for number in range(6):
                app.replace_accounts([revision(number)])
                assert _platform(url).push(event_message("CLICK", "Q", openid=f"oR{number:024d}")).reply is not None
    finally:
        hook.close()
    alive = [t for t in threading.enumerate() if t.name.startswith("oaspec-gw-citybank-m")]
    assert len(alive) <= 2, len(alive)  # the module served now, and the one before until it was idle


def test_a_click_that_cannot_be_answered_in_time_is_told_so_never_left_without_a_reply() -> None:
    """Review 59: a click past its module's backlog (a click has no text of its own) got no reply at all."""
    quick = FakeWebhook("余额 1,234.56 元", delay_s=0.3)
    seen = Recorded()
    bank = _bank(quick, quick, slow_timeout_s=30.0)  # a fast service, configured with a long timeout
    app = GatewayApp([bank], environ=ENV_HOOK, budget_s=0.6, send_customer_message=seen.send)
    try:
        with running(app) as url, ThreadPoolExecutor(max_workers=24) as followers:
            clicks = _clicks("SLOW0", 24, "Click")
            answered: list[PushResult] = [c.result() for c in _burst(url, followers, clicks)]
            time.sleep(0.6)
    finally:
        quick.close()
    told = {f["FromUserName"]: r.reply["Content"] for f, r in zip(clicks, answered, strict=True) if r.reply}
    told.update({openid: text or "" for _, openid, text in seen.sent})
    assert set(told) == {f["FromUserName"] for f in clicks}, told  # every follower was answered
    assert set(told.values()) == {"余额 1,234.56 元", BUSY_TEXT}, told  # two rounds of 30 s in time, the rest told


def test_replies_ready_at_the_cutoff_are_sent_on_their_modules_own_threads() -> None:
    """Review 60: every late reply went through one pool of 4 send threads shared by every account, so three banks'
    replies ready at the cutoff queued past the window (16 of 24 followers got nothing; one bank alone, none)."""
    hanging, fast = FakeWebhook("余额 1,234.56 元", delay_s=4.0), FakeWebhook("今日利率 1.5%")
    seen = Recorded()

    def send(account_: Any, openid: str, reply: Reply) -> None:
        time.sleep(0.08)  # the customer-service API's round trip
        seen.send(account_, openid, reply)

    banks = [replace(_bank(hanging, fast, slow_timeout_s=3.0), account_id=f"bank{n}") for n in range(3)]
    app = GatewayApp(banks, environ=ENV_HOOK, budget_s=0.3, late_delivery_max_s=2.5, send_customer_message=send)
    try:
        with running(app) as url, ThreadPoolExecutor(max_workers=24) as followers:
            asked = {b.account_id: [text_message("查余额", openid=f"o{b.account_id}{n:019d}") for n in range(8)]
                     for b in banks}
            answered = [w.result() for a, fields in asked.items() for w in _burst(url, followers, fields, a)]
            time.sleep(2.6)  # the window, scaled to 2.5 s
    finally:
        hanging.close()
        fast.close()
    assert not any(r.reply for r in answered) and len(seen.sent) == 24, len(seen.sent)  # each cut, its text sent
