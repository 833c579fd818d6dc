"""The cheapest reading of a run of romanised syllables (pinyin.py, jyutping.py): `best[end]` holds the cheapest way
found to read the syllables before `end`, as (cost, where its last word starts, that word): back-pointers, so a long
message costs its length times the longest word, not its square."""

from __future__ import annotations

from collections.abc import Iterator

Step = tuple[float, int, str]


def reached(size: int) -> tuple[list[Step | None], Iterator[tuple[int, Step]]]:
    """A lattice over `size` syllables, and each position a reading reaches, in order, with its cheapest way there
    (a step relaxed to a later position counts when that position comes)."""
    best: list[Step | None] = [None] * (size + 1)
    best[0] = (0.0, 0, "")

    def positions() -> Iterator[tuple[int, Step]]:
        for start in range(size):
            here = best[start]
            if here is not None:
                yield start, here

    return best, positions()


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
