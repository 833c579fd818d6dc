"""Attack review 47, F5: a spec name that a live object made elsewhere differs from only by case, width or spacing
(vip / VIP, ＡＢＣ / abc) names that object as far as a reviewer can tell, and the spec's own duplicate check calls
the two the same. Declaring it is a takeover like declaring the exact name: refused, naming the live object, until
the spec declares it as it is and adopts it; never created beside it."""

from __future__ import annotations

from pathlib import Path

from oa_spec.kinds.state import AccountState, Industry, KeywordRule, Reply, Tag, Template
from testing.accounts import ONE_BANK_SPEC, LiveAccount, seed_bank
from testing.cli import Cli

TAGS = ONE_BANK_SPEC + """\
{provider}    tags: [{{name: {tag}}}]
{adopt}    menu:
      - {{name: 理财, type: click, key: W}}
    conditional_menus:
      - name: 贵宾版
        match: {{tag: {tag}}}
        menu:
          - {{name: 专属理财, type: click, key: VIP_WEALTH}}
"""


def test_a_tag_that_differs_from_a_live_one_only_by_case_is_refused_naming_it(cli: Cli, tmp_path: Path,
                                                                             account: LiveAccount) -> None:
    account.seed_tags(Tag("VIP", id=100, count=5000))  # the CRM's
    spec = tmp_path / "oaspec.yaml"
    spec.write_text(TAGS.format(provider=account.provider_lines, tag="vip", adopt=""), encoding="utf-8")

    refused = cli("plan", "-f", str(spec), env=account.env)
    assert refused.returncode == 1, refused.stdout
    assert ("bank/tags/vip: the live tag 'VIP' was not made by oaspec and differs from it only by case, width or "
            "spacing") in refused.stderr
    assert "declare it as 'VIP' and list it under adopt: (adopt: {tags: ['VIP']})" in refused.stderr
    assert cli("apply", "-f", str(spec), "--auto-approve", env=account.env).returncode == 1
    assert [t.name for t in account.live().tags if t.id != 2] == ["VIP"]  # no look-alike beside it
    assert account.writes() in (None, [])

    # as the hint says: the live tag itself, adopted (its id and its 5000 followers kept)
    spec.write_text(TAGS.format(provider=account.provider_lines, tag="VIP", adopt="    adopt: {tags: [VIP]}\n"),
                    encoding="utf-8")
    assert cli("apply", "-f", str(spec), "--auto-approve", env=account.env).returncode == 0
    assert account.live().tag("VIP") == Tag("VIP", id=100, count=5000)


RULES = ONE_BANK_SPEC + """\
    industry: {{primary: 金融业/银行, secondary: 金融业/保险}}
    templates:
      - {{id: notice, library_id: OPENTM000000001, title: {title}}}
    replies:
      keywords:
        - {{name: {rule}, match: exact, keywords: [利率], reply: {{text: 存款利率见官网}}}}
"""
LIVE = AccountState(industry=Industry("金融业/银行", "金融业/保险"),
                    templates=(Template("ＡＢＣ通知", template_id="T1"),),
                    keyword_replies=(KeywordRule("Rates", "exact", ("利率",), Reply("见官网")),))


def test_templates_and_keyword_rules_are_compared_the_same_way(cli: Cli, tmp_path: Path) -> None:
    seed_bank(tmp_path, LIVE)
    spec = tmp_path / "oaspec.yaml"
    spec.write_text(RULES.format(title="abc通知", rule="ｒａｔｅｓ"), encoding="utf-8")
    refused = cli("plan", "-f", str(spec))
    assert refused.returncode == 1
    assert "bank/templates/notice: the live template 'ＡＢＣ通知' was not made by oaspec" in refused.stderr
    assert "bank/replies/keywords/ｒａｔｅｓ: the live keyword reply 'Rates' was not made by oaspec" in refused.stderr

    # names that differ by more than case and width are other objects: created beside them, as before
    spec.write_text(RULES.format(title="abc到账通知", rule="利率说明"), encoding="utf-8")
    planned = cli("plan", "-f", str(spec))
    assert planned.returncode == 0, planned.stderr
    assert "unmanaged, left alone: bank/templates/ＡＢＣ通知" in planned.stdout
