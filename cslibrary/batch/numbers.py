"""Which columns of a batch file hold numbers. The rules for reading them (decimal ``.`` or ``,``,
thousands groups, ambiguous cells refused) live in :mod:`calculators.number_formats`, shared with
the page's CSV import."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

#: Columns the commands read as text, a choice or a label, never as a number.
NOT_NUMBERS = frozenset({"account", "segment", "stage", "outcome"})


def number_columns(roles: Mapping[str, int], headers: Sequence[str]) -> dict[int, str]:
    """The columns a command may read numbers from (position → header); dates and labels never match a number."""
    return {position: headers[position] for role, position in roles.items() if role not in NOT_NUMBERS}
