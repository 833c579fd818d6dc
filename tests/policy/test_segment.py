"""Word segmentation: jieba over the compact dictionary shipped in the package, loaded only on need."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import jieba
import pytest

from oa_spec.policy import segment
from oa_spec.policy.measure import fired
from oa_spec.policy.packs import cn_bank_text

ROOT = Path(__file__).resolve().parents[2]


def _words(text: str) -> list[str]:
    return [text[start:end] for start, end in segment.words(text) or ()]


def test_finance_and_ordinary_words_stay_whole() -> None:
    assert _words("欢迎分享您的理财心得。") == ["欢迎", "分享", "您", "的", "理财", "心得", "。"]
    assert "结构性存款" in _words("本行结构性存款今日开放认购")
    assert "领队" in _words("本周网点领队带大家参观")


def test_the_shipped_dictionary_is_compact_and_holds_the_finance_words() -> None:
    freq, total = segment.load_compact()
    assert all(freq.get(word) == count for word, count in segment.finance_words().items())
    assert sum(1 for count in freq.values() if count) < 50_000 < total  # jieba's own has 349,046 words


def test_the_shipped_dictionary_is_up_to_date(tmp_path: Path) -> None:
    rebuilt = tmp_path / "words.marshal.gz"
    segment.build(Path(jieba.__file__).with_name("dict.txt"), rebuilt)
    shipped = ROOT / "oa_spec" / "policy" / "data" / "words.marshal.gz"
    assert rebuilt.read_bytes() == shipped.read_bytes(), "run: python -m oa_spec.policy.segment"


@pytest.mark.parametrize("text", ["欢迎分享您的理财心得。", "分享一段网点员工送别退休老同事的视频。"])
def test_a_reward_character_inside_a_word_the_segmenter_finds_is_no_reward(
        text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert "platform.induced-sharing" not in fired(cn_bank_text.RULES, text)
    monkeypatch.setattr(segment, "words", lambda _text: None)  # as without jieba: the word list alone
    assert "platform.induced-sharing" in fired(cn_bank_text.RULES, text)


def test_a_reward_word_the_segmenter_keeps_whole_still_rewards() -> None:
    assert "platform.induced-sharing" in fired(cn_bank_text.RULES, "转发到家人群，凭截图即可领取鸡蛋一盒。")


def test_validate_does_not_load_the_segmenter_when_no_rule_needs_words() -> None:
    run = subprocess.run([sys.executable, "-X", "importtime", "-m", "oa_spec", "validate", "-f",
                          str(ROOT / "specs" / "examples" / "citybank" / "oaspec.yaml")],
                         capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert run.returncode == 0, run.stdout + run.stderr
    assert "jieba" not in run.stderr
