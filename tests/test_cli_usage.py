"""The `helpdesk-bot` command's own mistakes: what is missing is named as it is typed."""

from __future__ import annotations

import pytest

from bot.__main__ import main


@pytest.mark.parametrize(
    ("command", "missing"),
    [
        ([], "{run,chat,kb,tickets,report,db}"),
        (["kb"], "{check,eval,gaps}"),
        (["db"], "{migrate}"),
    ],
)
def test_a_missing_command_is_named_by_its_choices(
    command: list[str], missing: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """`helpdesk-bot db` said "the following arguments are required: db_command", a name
    nobody can type."""
    with pytest.raises(SystemExit) as done:
        main(command)
    assert done.value.code == 2
    last = capsys.readouterr().err.splitlines()[-1]
    assert last.endswith(f"error: the following arguments are required: {missing}"), last
