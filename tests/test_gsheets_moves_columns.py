"""No misplaced write when a person inserts or deletes a column of the Timeline at any point of a sync.

The machinery (points of a sync, the two untouched twins that say what is right)
is test_gsheets_moves.py's; see its docstring.
"""

from __future__ import annotations

import io
import re
from contextlib import redirect_stdout

from test_gsheets_moves import COLUMN_ACTIONS, edit_tests, google, misplaced, sync  # noqa: F401 - google: the fixture

from sheetsync.cli import main

(
    test_columns_moved_at_any_point_leave_no_computed_value_in_a_persons_cell,
    test_columns_moved_under_the_write_of_a_sync_that_gives_up_leave_no_persons_cell_changed,
) = edit_tests(COLUMN_ACTIONS)


def test_a_column_inserted_under_the_write_of_a_chinese_book_is_put_back(google):  # noqa: F811
    """The same in a zh book: 时间表's headers (编号, 备注, 标记 …) map the columns; a person's 备注 stays theirs."""
    fake, _demo, client, _cache = google
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["init", "--gsheet", "血清上市", "--demo", "--lang", "zh", "--today", "2026-11-27"]) == 0
    demo = re.search(r"/spreadsheets/d/([^/\s]+)", out.getvalue()).group(1)
    fake.set_values(demo, "时间表!K2:O16", [[""] * 5] * 15)
    key, right = fake.copy_spreadsheet(demo), fake.copy_spreadsheet(demo)
    fake.insert_columns(right, "时间表", 3)
    sync(fake, client, right)
    fake.before_next("spreadsheets.*batchUpdate*", lambda f: f.insert_columns(key, "时间表", 3))
    fake.calls.clear()
    report = sync(fake, client, key)
    assert report.written and "spreadsheets.values.batchGet" in [c.name for c in fake.calls][2:]  # put back
    got, want = (fake.values(k, "时间表", render="FORMULA") for k in (key, right))
    assert misplaced({"时间表": got}, {"时间表": want}, tabs=("时间表",)) == []
    assert [row[10] for row in got[1:14]] == [row[10] for row in want[1:14]]  # 备注, now column K
