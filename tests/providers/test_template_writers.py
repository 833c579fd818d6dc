"""Review 47 F6: the templates a run adds are recorded by the template_id the platform gave them, whichever
provider wraps the one that adds them."""

from __future__ import annotations

from pathlib import Path

from oa_spec.kinds.state import AccountState, Template
from oa_spec.providers.local import LocalProvider
from oa_spec.providers.served import ServedProvider


def test_a_served_account_records_the_templates_its_platform_provider_added(tmp_path: Path) -> None:
    inner = LocalProvider("bank", tmp_path)
    served = ServedProvider(inner, AccountState)
    inner.added_templates.append(Template("还款提醒", name="repay", library_id="OPENTM1", template_id="T1"))
    assert served.added_templates == [Template("还款提醒", name="repay", library_id="OPENTM1", template_id="T1")]
    assert served.added_templates[0].template_id == "T1"
