"""The FAQ ranker's word lists, kept as data in `data/` so a bank can extend them without code.

- `bank_dict.txt`: banking words for the segmenter (jieba user-dictionary format: word, frequency, tag);
- `lexicon.tsv`: what customers write -> the bank's term (`canonical<TAB>variant, variant, ...`); a
  canonical may be several words separated by spaces; Latin variants are matched as whole words;
- `regional.tsv`: Taiwan and Hong Kong phrases -> mainland phrases (OpenCC);
- `wu.tsv`, `minnan.tsv`, `xiang.tsv`, `sichuan.tsv`, `jianghuai.tsv`: written Wu (Shanghai, Jiangsu, Zhejiang),
  Minnan (Fujian, Chaoshan, Taiwan), the Hunan, Hubei and Jiangxi chats' words (么子, 哒, 啵), Sichuan and
  Chongqing's (一哈, 利钱) and Jianghuai Mandarin's (Anhui, northern Jiangsu: 啥个, 么得, 可照) -> Mandarin;
- `stopwords.txt`: words that carry no FAQ meaning in a customer's message;
- `outside.txt`: words naming things a bank's FAQ is not about (other platforms, telecoms, public
  services...): a question about one of them is out of scope unless the bank's own FAQ uses the word;
- `other_banks.txt`: the same for other banks, unless the question moves money to or from one;
- `payment_apps.txt`: the same for payment apps and their wallets, unless told in the story while the question names
  the bank's own thing (compare.py);
- `countries.txt`: foreign countries, a transfer's far end abroad (phrases.py);
- `pinyin_syllables.txt`: the syllables typed pinyin is split into;
- `jyutping.tsv`: each character's Cantonese readings in Jyutping, for a question typed in it (jyutping.py);
- `shapes.txt`: groups of characters of similar shape, one written for another by handwriting input (shapes.py);
- `acts.txt`: acts (退, 取消, 改, 失败…) that an entry answers only if its questions or answer name them;
- `told_acts.txt`: acts that count in the story too (没人回复: a follow-up is told, then asked about);
- `act_kin.tsv`: other words an entry may name an act by (改 a forgotten password: 重置);
- `act_reasons.tsv`: reasons a message gives for an act (收不到 codes: 停机), answered by an entry naming them;
- `bare_verbs.tsv`: a verb that reads an act when the message names its thing (a lone 提 of 额度: 提额);
- `persons.txt`: the other people a customer asks for (我妈, 他, 同事), whose card or act it is (behalf.py).
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

CJK = re.compile(r"[\u4e00-\u9fff]+")


def data_lines(name: str) -> list[str]:
    text = (resources.files("oa_spec.gateway.faq") / "data" / name).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


def _words(name: str) -> frozenset[str]:
    return frozenset(word for line in data_lines(name) for word in line.split())


@lru_cache(maxsize=1)
def regional() -> dict[str, str]:
    return dict(tuple(line.split("\t")) for line in data_lines("regional.tsv"))  # type: ignore[misc]


@lru_cache(maxsize=1)
def dialect_phrases() -> re.Pattern[str]:
    """Any phrase of wu.tsv (Shanghai, Jiangsu, Zhejiang), minnan.tsv (Fujian, Chaoshan, Taiwan), xiang.tsv
    (Hunan, Hubei, Jiangxi), jianghuai.tsv (Anhui, northern Jiangsu) or net.tsv (net shorthand), matched literally,
    longest first."""
    return re.compile("|".join(_whole(phrase) for phrase in sorted(dialect_mandarin(), key=lambda w: (-len(w), w))))


def _whole(phrase: str) -> str:
    """The phrase as a pattern; number-speak and Latin shorthand (555, 3q) only as a whole run, never inside an
    amount or a hotline (95555, 5550元)."""
    if not phrase.isascii():
        return re.escape(phrase)
    return rf"(?<![0-9a-z.]){re.escape(phrase)}(?![0-9a-z.]|\s*(?:元|块|万|千|百|个|次|号|分|年|月|天|%))"


@lru_cache(maxsize=1)
def dialect_mandarin() -> dict[str, str]:
    """A written Wu, Minnan, Hunan, Hubei, Jiangxi, Sichuan, Jianghuai or net-shorthand phrase -> its Mandarin."""
    names = ("wu.tsv", "minnan.tsv", "xiang.tsv", "sichuan.tsv", "jianghuai.tsv", "net.tsv")
    return dict(tuple(line.split("\t")) for name in names  # type: ignore[misc]
                for line in data_lines(name))


@lru_cache(maxsize=1)
def lexicon() -> dict[str, str]:
    """variant -> canonical (space-separated words). A canonical also maps to itself."""
    mapping: dict[str, str] = {}
    for line in data_lines("lexicon.tsv"):
        canonical, variants = line.split("\t")
        for variant in variants.split(","):
            variant = " ".join(variant.split())
            if variant and variant != canonical:
                mapping.setdefault(variant, canonical)
    return mapping


@lru_cache(maxsize=1)
def canonical_words() -> frozenset[str]:
    return frozenset(word for canonical in lexicon().values() for word in canonical.split())


@lru_cache(maxsize=1)
def bank_words() -> frozenset[str]:
    return frozenset(line.split()[0] for line in data_lines("bank_dict.txt"))


@lru_cache(maxsize=1)
def bank_nouns() -> frozenset[str]:
    """The dictionary's things (卡, 存款, 手机银行), as opposed to its actions (挂失, 转账) and to what is asked
    about a thing (材料, 手续费: tag nz)."""
    return frozenset(parts[0] for line in data_lines("bank_dict.txt") if (parts := line.split())[-1] == "n")


@lru_cache(maxsize=1)
def banking_terms() -> frozenset[str]:
    """Words that make a question a banking question (an everyday word shared with an FAQ is not enough)."""
    return bank_words() | canonical_words()


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    return _words("stopwords.txt")


@lru_cache(maxsize=1)
def outside_words() -> frozenset[str]:
    return _words("outside.txt") | other_banks() | payment_apps()


@lru_cache(maxsize=1)
def payment_apps() -> frozenset[str]:
    return _words("payment_apps.txt")


@lru_cache(maxsize=1)
def other_banks() -> frozenset[str]:
    return _words("other_banks.txt")


@lru_cache(maxsize=1)
def countries() -> frozenset[str]:
    return _words("countries.txt")


@lru_cache(maxsize=1)
def acts() -> frozenset[str]:
    return _words("acts.txt") | told_acts()


@lru_cache(maxsize=1)
def persons() -> frozenset[str]:
    return _words("persons.txt")


@lru_cache(maxsize=1)
def told_acts() -> frozenset[str]:
    return _words("told_acts.txt")


@lru_cache(maxsize=1)
def act_kin() -> dict[str, tuple[str, ...]]:
    """act -> the other words an entry may name it by."""
    return _kin("act_kin.tsv")


@lru_cache(maxsize=1)
def act_reasons() -> dict[str, tuple[str, ...]]:
    """act -> the reasons a message may give for it, which an entry that names the same reason answers."""
    return _kin("act_reasons.tsv")


def _kin(name: str) -> dict[str, tuple[str, ...]]:
    return {act: tuple(w.strip() for w in kin.split(",") if w.strip())
            for act, kin in (line.split("\t") for line in data_lines(name))}


BareVerb = tuple[str, frozenset[str], str, frozenset[str]]


@lru_cache(maxsize=1)
def bare_verbs() -> tuple[BareVerb, ...]:
    """(verb, the things the message must name, the act it then reads, words that keep the verb as it is)."""
    rows = []
    for line in data_lines("bare_verbs.tsv"):
        verb, things, act, unless = [*line.split("\t"), ""][:4]
        rows.append((verb, frozenset(things.split(",")), act, frozenset(w for w in unless.split(",") if w)))
    return tuple(rows)


@lru_cache(maxsize=1)
def syllables() -> frozenset[str]:
    return _words("pinyin_syllables.txt")


TOLD_FREQUENCY = 1000  # above 前 and 几天 apart (9 in jieba's counts), below 提 + 前几天 against 提前 + 几天 (4,286)


def segmenter_words() -> list[tuple[str, int]]:
    """Words the segmenter must keep whole: banking words, the lexicon's Chinese variants and terms,
    regional phrases, out-of-scope words and stopwords a variant would cut into, so the lexicon maps whole words
    and never a part of one (余额 inside 余额宝)."""
    words = [(line.split()[0], int(line.split()[1])) for line in data_lines("bank_dict.txt")]
    extra = (set(lexicon()) | canonical_words() | set(regional()) | outside_words() | acts())
    extra -= {w for w, _ in words}
    words += [(word, 20000) for word in sorted(extra) if CJK.fullmatch(word) and len(word) >= 2]
    # and a stopword with a lexicon variant inside it (前几天, 好几天: a time told, not 几天 'how long' asked), at a
    # frequency that keeps it whole against its characters apart but not against a word before it (提前几天)
    variants = {variant for variant in lexicon() if len(variant) >= 2}
    told = {word for word in stopwords() if any(v in word and v != word for v in variants)} - {w for w, _ in words}
    return words + [(word, TOLD_FREQUENCY) for word in sorted(told) if CJK.fullmatch(word)]
