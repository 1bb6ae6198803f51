"""No misplaced write when a person sorts the Timeline at any point of a sync.

Google does not say that row metadata follows a sort; the fake keeps it on its
row position while the cells move (the harder case), so only the check of the
write's answer catches a sort between the guard read and the write. The
machinery is test_gsheets_moves.py's; see its docstring.
"""

from __future__ import annotations

from test_gsheets_moves import SORT_ACTIONS, edit_tests, google  # noqa: F401 - google: the fixture

(
    test_a_sort_at_any_point_leaves_every_computed_cell_on_its_own_row,
    test_a_sort_under_the_write_of_a_sync_that_gives_up_leaves_nothing_misplaced,
) = edit_tests(SORT_ACTIONS)
