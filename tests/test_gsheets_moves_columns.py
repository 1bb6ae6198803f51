"""No misplaced write when a person inserts or deletes a column of the Timeline at any point of a sync.

The machinery (points of a sync, the two untouched twins that say what is right)
is test_gsheets_moves.py's; see its docstring.
"""

from __future__ import annotations

import pytest
from test_gsheets_moves import COLUMN_ACTIONS, POINTS, edited_mid_sync, google  # noqa: F401 - google: the fixture


@pytest.mark.parametrize("point", list(POINTS))
@pytest.mark.parametrize("action", list(COLUMN_ACTIONS))
def test_columns_moved_at_any_point_leave_no_computed_value_in_a_persons_cell(google, action, point):  # noqa: F811
    edited_mid_sync(google, action, point)


@pytest.mark.parametrize("point", ["guard-write", "first-sync-guard-tags"])
@pytest.mark.parametrize("action", list(COLUMN_ACTIONS))
def test_columns_moved_under_the_write_of_a_sync_that_gives_up_leave_no_persons_cell_changed(google, action, point):  # noqa: F811
    edited_mid_sync(google, action, point, redo_limit=1)
