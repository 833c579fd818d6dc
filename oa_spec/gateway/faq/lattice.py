"""The cheapest reading of a run of romanised syllables (pinyin.py, jyutping.py): `best[end]` holds the cheapest way
found to read the syllables before `end`, as (cost, where its last word starts, that word)."""

from __future__ import annotations

Step = tuple[float, int, str]


def relax(best: list[Step | None], end: int, step: Step) -> None:
    """Keep `step` as the way to read up to `end` when it is cheaper than the one found so far."""
    current = best[end]
    if current is None or step[0] < current[0]:
        best[end] = step


def read_back(best: list[Step | None], size: int) -> str:
    """The words of the cheapest reading of all `size` syllables, from the last back to the first."""
    words, end = [], size
    while end > 0:
        step = best[end]
        assert step is not None
        words.append(step[2])
        end = step[1]
    return "".join(reversed(words))
