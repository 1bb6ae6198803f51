"""No misplaced write when a person sorts the Timeline at any point of a sync.

Google does not say that row metadata follows a sort; the fake keeps it on its
row position while the cells move (the harder case), so only the check of the
write's answer catches a sort between the guard read and the write. The
machinery is test_gsheets_moves.py's; see its docstring.
"""

from __future__ import annotations

import pytest
from test_gsheets_moves import POINTS, SORT_ACTIONS, edited_mid_sync, google  # noqa: F401 - google: the fixture


@pytest.mark.parametrize("point", list(POINTS))
@pytest.mark.parametrize("action", list(SORT_ACTIONS))
def test_a_sort_at_any_point_leaves_every_computed_cell_on_its_own_row(google, action, point):  # noqa: F811
    edited_mid_sync(google, action, point)


@pytest.mark.parametrize("point", ["guard-write", "first-sync-guard-tags"])
@pytest.mark.parametrize("action", list(SORT_ACTIONS))
def test_a_sort_under_the_write_of_a_sync_that_gives_up_leaves_nothing_misplaced(google, action, point):  # noqa: F811
    edited_mid_sync(google, action, point, redo_limit=1)
