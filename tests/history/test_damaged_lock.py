"""Files state: a damaged lock file is reported as damaged, and `unlock --force` releases it (review 52 F4).

A lock file holding valid JSON that is not an object (`null`, `[]`, a string, a number) was read as "no lock":
apply called the account locked by `None@None`, and `unlock --force` said it was not locked and left the file,
so the account stayed locked until someone deleted the file by hand.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from oa_spec.history import lock
from tests.conftest import Cli

DAMAGED = ["null", "[]", '"x"', "1", "{not json"]


@pytest.mark.parametrize("text", DAMAGED)
def test_a_damaged_lock_is_named_as_damaged_and_released_with_force(cli: Cli, tmp_path: Path,
                                                                    text: str) -> None:
    state = tmp_path / ".oaspec"
    path = lock.lock_path(state, "acct")
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")

    with pytest.raises(lock.LockedError) as refused, lock.account_lock(state, "acct", "apply"):
        pytest.fail("a damaged lock holds the account")
    assert "damaged lock file" in str(refused.value) and "`oaspec unlock acct --force`" in str(refused.value)

    unforced = cli("unlock", "acct")
    assert unforced.returncode == 1, unforced.output
    assert "damaged lock file" in unforced.stderr and "--force" in unforced.stderr
    assert path.read_text(encoding="utf-8") == text  # nothing released without --force

    forced = cli("unlock", "acct", "--force")
    assert forced.returncode == 0, forced.output
    assert "damaged lock file" in forced.stdout and "not locked" not in forced.output
    assert not path.exists()
    with lock.account_lock(state, "acct", "apply"):  # the account can be taken again
        pass
