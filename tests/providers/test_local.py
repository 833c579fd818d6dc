"""The local provider refuses what the platform would refuse, with the platform's codes, in its own words."""

from __future__ import annotations

from pathlib import Path

import pytest

from oa_spec import limits
from oa_spec.errors import ProviderError
from oa_spec.kinds.change import Change
from oa_spec.kinds.state import Menu
from oa_spec.providers.local import LocalProvider


def test_a_refusal_says_the_local_account_refused_it_as_wechat_would(tmp_path: Path) -> None:
    """It said "WeChat error 40016", which misleads on an account that never talks to WeChat."""
    provider = LocalProvider("bank", tmp_path)
    with pytest.raises(ProviderError) as refused:
        provider.apply(Change("create", "menu", "", "bank/menu", None, Menu(())))
    assert refused.value.code == 40016
    assert str(refused.value) == ("the local account refused it as WeChat would, with error 40016: wrong number of "
                                  "top-level menu buttons; use 1 to 3 buttons")
    assert "WeChat error" not in str(refused.value)


def test_describe_error_names_wechat_unless_told_otherwise() -> None:
    assert limits.describe_error(45009).startswith("WeChat error 45009: the daily API quota is reached; ")
    assert limits.describe_error(99999, "odd") == "WeChat error 99999: odd"
    assert limits.describe_error(99999, prefix="emulator error") == "emulator error 99999: unknown error"
