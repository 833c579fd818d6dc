"""The article kind: paired by name, updated in place, deleted behind the destroy guard, shown with a text
diff of the body; the local provider keeps one draft per article."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from oa_spec.config.model_safety import GuardSpec
from oa_spec.kinds.base import SlotUse, slot_verdict
from oa_spec.kinds.registry import KINDS
from oa_spec.kinds.state import AccountState, Article, Button, Menu
from oa_spec.plan.diff import diff
from oa_spec.plan.guards import tripped
from oa_spec.providers.local import LocalProvider
from oa_spec.render import details

A = "bank"
BODY = "<section><p>存款保险保什么</p><p>最高偿付 50 万元</p></section>"
ARTICLE = Article("young/deposit-insurance", "五分钟看懂存款保险", author="示例城市银行", digest="一文说清",
                  content_sha256="1" * 64, cover_sha256="2" * 64, content=BODY, stream="finance-class",
                  date="2026-12-09", audience=("年轻客群",))


def live(article: Article, draft_id: str = "DRAFT_1", published: str = "") -> Article:
    return replace(article, draft_id=draft_id, published=published)


def test_a_new_article_is_a_draft_to_create_after_every_other_kind() -> None:
    desired = AccountState(menu=Menu((Button("首页", type="view", url="https://bank.example/"),)),
                           articles=(ARTICLE,))
    changes = diff(A, desired, AccountState())
    assert [(c.action, c.kind) for c in changes] == [("create", "menu"), ("create", "article")]
    assert changes[1].address == "bank/content/articles/young/deposit-insurance"
    lines = details(changes[1])
    assert "  + title: 五分钟看懂存款保险" in lines
    assert "  slot: finance-class 2026-12-09, publication for 「年轻客群」 (发布, no push)" in lines


def test_a_changed_body_is_one_update_of_the_same_draft_with_a_text_diff() -> None:
    edited = replace(ARTICLE, content=BODY.replace("50 万元", "五十万元"), content_sha256="3" * 64)
    [change] = diff(A, AccountState(articles=(edited,)), AccountState(articles=(live(ARTICLE),)))
    assert (change.action, change.writable) == ("update", True)
    assert isinstance(change.before, Article) and change.before.draft_id == "DRAFT_1"
    lines = details(change)
    assert "  -最高偿付 50 万元" in lines and "  +最高偿付 五十万元" in lines


def test_a_link_changed_below_a_long_diff_is_shown() -> None:
    # it was cut at 40 lines: an attack review added a 40-item glossary at the top and pointed the last link at a
    # partner's page, and no plan, Markdown or comment showed the new target
    def body(target: str, glossary: str) -> str:
        items = "".join(f"<li>名词解释{i}：{glossary}</li>" for i in range(60))
        return f'<section><p>导语</p><ul>{items}</ul><p>预约：<a href="{target}">预约服务</a>。</p></section>'

    old = body("https://m.citybank.example.cn/appointment", "")
    new = body("https://m.citybank.example.cn/partner-fund/buy?src=", "封闭期是指不能赎回的期间。")
    edited = replace(ARTICLE, content=new, content_sha256="3" * 64)
    [change] = diff(A, AccountState(articles=(edited,)), AccountState(articles=(live(replace(ARTICLE, content=old)),)))
    lines = details(change)
    assert "  -预约：预约服务 [链接 https://m.citybank.example.cn/appointment]。" in lines
    assert "  +预约：预约服务 [链接 https://m.citybank.example.cn/partner-fund/buy?src=]。" in lines
    assert sum(line.startswith("  +名词解释") for line in lines) == 60
    assert not any("more line" in line for line in lines)


def test_a_new_article_shows_its_body_links_and_fields() -> None:
    body = ('<section><h1>用卡小贴士</h1><p>点击<a href="https://m.citybank.example.cn/partner/redirect">这里</a>。'
            '</p><p><img src="https://mmbiz.qpic.cn/x/0?wx_fmt=png" alt="示意"></p>'
            '<p style="display:none">理财非存款</p></section>')
    new = replace(ARTICLE, author="合作方", digest="点击阅读原文领取专属额度。", comments=True, content=body,
                  source_url="https://www.citybank.example.cn/promo/partner-cashloan")
    [change] = diff(A, AccountState(articles=(new,)), AccountState())
    lines = details(change)
    for field in ("title: 五分钟看懂存款保险", "author: 合作方", "digest: 点击阅读原文领取专属额度。",
                  "阅读原文: https://www.citybank.example.cn/promo/partner-cashloan", f"cover sha256: {'2' * 64}",
                  "comments: on"):
        assert f"  + {field}" in lines
    assert lines[lines.index("  body:") + 4:lines.index("  body:") + 8] == [
        "  +用卡小贴士", "  +点击这里 [链接 https://m.citybank.example.cn/partner/redirect]。",
        "  +[图片 0?wx_fmt=png 示意]", "  +[隐藏（display:none）：理财非存款]"]


def test_a_deleted_article_names_what_goes() -> None:
    [change] = diff(A, AccountState(), AccountState(articles=(live(ARTICLE),)))
    lines = details(change)
    assert "  - title: 五分钟看懂存款保险" in lines and "  - author: 示例城市银行" in lines
    assert "  -存款保险保什么" in lines and "  -最高偿付 50 万元" in lines


def test_a_renamed_and_edited_article_shows_the_edit() -> None:
    # it read as a file move: a delete and a create with the same title, and the edit made with the rename unseen
    moved = replace(ARTICLE, name="young/deposit-insurance-2026", content=BODY.replace(
        "最高偿付 50 万元", '最高偿付 50 万元，<a href="https://m.citybank.example.cn/partner">详见</a>'))
    changes = diff(A, AccountState(articles=(moved,)), AccountState(articles=(live(ARTICLE),)))
    [delete, create] = sorted(changes, key=lambda c: c.action, reverse=True)
    assert (delete.action, create.action) == ("delete", "create")
    lines = details(create, changes)
    at = lines.index("  compared with article young/deposit-insurance, which this plan deletes (the same title):")
    assert lines[at + 1:] == [
        "    body:", "    --- live young/deposit-insurance", "    +++ repository young/deposit-insurance-2026",
        "    @@ -1,2 +1,2 @@", "     存款保险保什么", "    -最高偿付 50 万元", "    +最高偿付 50 万元，详见 [链接 https://m.citybank.example.cn/partner]"]
    assert ("  (article young/deposit-insurance-2026, which this plan creates, has the same title: it is compared "
            "with this one there)") in details(delete, changes)


def test_a_renamed_article_is_paired_by_its_source_when_its_title_changes() -> None:
    old = replace(ARTICLE, source_url="https://www.citybank.example.cn/deposit")
    moved = replace(old, name="young/deposit-2026", title="存款保险，一文说清")
    changes = diff(A, AccountState(articles=(moved,)), AccountState(articles=(live(old),)))
    [create] = [c for c in changes if c.action == "create"]
    lines = details(create, changes)
    assert "  compared with article young/deposit-insurance, which this plan deletes (the same 阅读原文):" in lines
    assert lines[-2:] == ["    - title: 五分钟看懂存款保险", "    + title: 存款保险，一文说清"]


def test_of_two_deleted_articles_with_the_created_ones_title_only_the_one_compared_says_so() -> None:
    twin = replace(ARTICLE, name="young/deposit-insurance-copy")
    moved = replace(ARTICLE, name="young/deposit-insurance-2026")
    changes = diff(A, AccountState(articles=(moved,)), AccountState(articles=(live(ARTICLE), live(twin))))
    [create] = [c for c in changes if c.action == "create"]
    compared = next(line for line in details(create, changes) if line.startswith("  compared with article"))
    pointers = [c.key for c in changes if c.action == "delete"
                if any("which this plan creates" in line for line in details(c, changes))]
    assert len(pointers) == 1 and f"article {pointers[0]}," in compared


def test_a_changed_slot_is_an_update_the_reviewer_sees_before_and_after() -> None:
    # it was no change at all: an attack review moved a wealth article's broadcast to every follower and the plan
    # said "No changes", while publish sent the slot as the spec said
    moved = replace(ARTICLE, date="2026-12-16", broadcast=True, audience=())
    [change] = diff(A, AccountState(articles=(moved,)), AccountState(articles=(live(ARTICLE),)))
    assert change.action == "update"
    slot = [line for line in details(change) if "slot:" in line]
    assert len(slot) == 2 and slot[0].startswith("  - slot:") and slot[1].startswith("  + slot:")
    assert "broadcast to every follower (is_to_all) (群发)" in slot[1] and "2026-12-16" in slot[1]


def test_a_removed_article_deletes_its_draft_behind_the_destroy_guard() -> None:
    state = AccountState(articles=(live(ARTICLE),))
    [change] = diff(A, AccountState(), state)
    assert change.action == "delete"
    assert tripped([change], state, GuardSpec()) != []
    assert tripped([change], state, GuardSpec(max_destroy={"article": 1})) == []


def test_a_published_article_without_its_draft_is_shown_and_not_written() -> None:
    gone = replace(live(ARTICLE, draft_id="", published="2026-12-09 publication"), draft_id=None)
    edited = replace(ARTICLE, title="新标题")
    [change] = diff(A, AccountState(articles=(edited,)), AccountState(articles=(gone,)))
    assert change.action == "update" and not change.writable and "cannot edit a published article" in change.reason
    assert diff(A, AccountState(), AccountState(articles=(gone,))) == []  # no draft left to delete


def test_the_local_provider_keeps_one_draft_per_article(tmp_path: Path) -> None:
    provider = LocalProvider(A, tmp_path)
    for change in diff(A, AccountState(articles=(ARTICLE,)), provider.read()):
        provider.apply(change)
    first = provider.read().articles
    assert [a.draft_id for a in first] == ["local-draft-1"]
    edited = replace(ARTICLE, title="存款保险，一文说清")
    for change in diff(A, AccountState(articles=(edited,)), provider.read()):
        provider.apply(change)
    assert [(a.title, a.draft_id) for a in provider.read().articles] == [("存款保险，一文说清", "local-draft-1")]
    for change in diff(A, AccountState(), provider.read()):
        provider.apply(change)
    assert provider.read().articles == ()


def test_the_kind_is_registered_with_a_label_and_ranks() -> None:
    kind = KINDS["article"]
    assert kind.label == "article" and set(kind.ranks) == {"create", "update", "delete"}


def test_an_article_named_like_a_singleton_never_claims_the_menu() -> None:
    from oa_spec.plan.scope import SINGLETONS, after_apply

    named_menu = replace(ARTICLE, name="menu")
    [change] = diff(A, AccountState(articles=(named_menu,)), AccountState())
    managed = after_apply({SINGLETONS: set()}, [change], AccountState(articles=(named_menu,)), True)
    assert "menu" not in managed[SINGLETONS]


def test_the_plan_says_when_a_slot_is_due(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OASPEC_NOW", "2026-12-09T08:00:00+08:00")
    [change] = diff(A, AccountState(articles=(ARTICLE,)), AccountState())
    assert ("  slot: finance-class 2026-12-09, publication for 「年轻客群」 (发布, no push); due: `oaspec publish "
            "--due` sends it once this is applied") in details(change)


OTHER = "3" * 64


@pytest.mark.parametrize(("uses", "kind", "slot", "said"), [
    ({}, "free", "finance-class/2026-12-09", ""),
    ({"finance-class/2026-12-09": SlotUse(ARTICLE.name, "1" * 64, sent=True)}, "sent", "finance-class/2026-12-09",
     "already went out"),
    ({"finance-class/2026-12-09": SlotUse(ARTICLE.name, "1" * 64, sent=False)}, "unsettled",
     "finance-class/2026-12-09", ""),  # publish settles it
    ({"finance-class/2026-12-09": SlotUse(ARTICLE.name, OTHER, sent=False, mode="publish")}, "unsettled",
     "finance-class/2026-12-09", "an earlier version of it in slot finance-class/2026-12-09 has an unknown outcome "
     "(what followers see of it changed since)"),
    ({"finance-class/2026-12-09": SlotUse(ARTICLE.name, "1" * 64, sent=False, mode="publish")}, "unsettled",
     "finance-class/2026-12-09", ""),  # the same version: publish settles it
    # attack review 70 F2: publish refuses an attempt of unknown outcome whose article changed in any way since
    ({"finance-class/2026-12-09": SlotUse(ARTICLE.name, "1" * 64, sent=False, tag="年轻客群", mode="broadcast")},
     "unsettled", "finance-class/2026-12-09", "(its audience, broadcast or publication changed since)"),
    ({"finance-class/2026-12-09": SlotUse("young/other", OTHER, sent=False)}, "taken", "finance-class/2026-12-09",
     "holds an attempt, not settled, to send article young/other"),
    ({"finance-class/2026-12-02": SlotUse("young/renamed", "1" * 64, sent=True)}, "elsewhere",
     "finance-class/2026-12-02", "already went out in slot finance-class/2026-12-02"),  # its file renamed
    # an attempt of its own here does not hide that it went out in another slot: publish refuses it, and the plan
    # said "due" for it while the two decided apart
    ({"finance-class/2026-12-09": SlotUse(ARTICLE.name, "1" * 64, sent=False),
      "finance-class/2026-12-02": SlotUse(ARTICLE.name, "1" * 64, sent=True)}, "elsewhere", "finance-class/2026-12-02",
     "already went out in slot finance-class/2026-12-02"),
])
def test_one_slot_decision_for_plan_and_publish(uses: dict[str, SlotUse], kind: str, slot: str, said: str) -> None:
    verdict = slot_verdict(ARTICLE, "finance-class/2026-12-09", uses)
    assert (verdict.kind, verdict.slot) == (kind, slot)
    [change] = diff(A, AccountState(articles=(ARTICLE,)), AccountState(), slots_used=uses)
    assert (said in change.reason) if said else change.reason == "", change.reason
