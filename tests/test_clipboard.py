"""Copy and paste with Excel: blocks of figures into and out of the grids, each paste one undo
step, the whole paste refused with one message when any of it cannot go in."""

import pytest
from gm_window import POLICE, police_cell
from PySide6.QtCore import QItemSelection, QItemSelectionModel, QMimeData, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication

from planner import clipboard, jsonio, money
from planner import years as fy


def _clip(text: str) -> None:
    data = QMimeData()
    data.setText(text)
    QApplication.clipboard().setMimeData(data)


def _select(view, top_left, bottom_right=None) -> None:
    bottom_right = bottom_right or top_left
    view.setCurrentIndex(top_left)
    view.selectionModel().select(
        QItemSelection(top_left, bottom_right), QItemSelectionModel.SelectionFlag.ClearAndSelect
    )


def _grant_rows(window):
    """The police's grant row and the row under it (the police's other stream), 2014-15 on."""
    model = window.editors.contributions
    first = police_cell(window, 2014)
    below = model.index(first.row() + 1, first.column())
    assert model.rows[below.row()][0] == "stream"
    return model, first, below


def _amounts(model, cells):
    return [model.data(c, Qt.ItemDataRole.EditRole) for c in cells]


def test_a_block_pasted_from_excel_fills_the_grid_and_one_undo_takes_it_back(qtbot, window):
    model, first, below = _grant_rows(window)
    view = window.editors.contributions_view
    before = jsonio.dumps(window.doc.plan)
    steps = window.doc.undo_stack.count()
    cells = [first, model.index(first.row(), first.column() + 1)]
    cells += [below, model.index(below.row(), below.column() + 1)]
    _clip("3000000\t3500000\n4000000\t4500000\n")
    _select(view, first)
    assert view.paste()
    assert _amounts(model, cells) == ["3,000,000", "3,500,000", "4,000,000", "4,500,000"]
    # The timeline says what the grid says: the police's 2014-15 is the two rows' sum.
    lane = next(r for r in window.timeline.layout_now().rows if r.body_id == _police(window))
    tip = window.timeline._tooltip(lane, 2014, "lane")
    assert f"Contribution {money.format(700_000_000)}" in tip
    assert window.doc.undo_stack.count() == steps + 1
    assert window.undo_action.text() == "&Undo Paste 4 cells"
    window.undo_action.trigger()
    assert jsonio.dumps(window.doc.plan) == before


def _police(window):
    return window.doc.plan.body_named(POLICE).id


def test_copying_a_block_puts_plain_pounds_and_a_table_of_figures_on_the_clipboard(qtbot, window):
    model, first, below = _grant_rows(window)
    view = window.editors.contributions_view
    model.setData(first, "1,234,567.89")
    _select(view, first, model.index(below.row(), first.column() + 1))
    assert view.copy()
    pence = [
        [
            model.data(model.index(r, c), Qt.ItemDataRole.EditRole)
            for c in (first.column(), first.column() + 1)
        ]
        for r in (first.row(), below.row())
    ]
    expected = [[money.plain(money.parse_pasted(t)) if t else "" for t in row] for row in pence]
    text = QApplication.clipboard().text()
    assert text == "".join("\t".join(row) + "\r\n" for row in expected)
    assert text.startswith("1234567.89\t")
    html = QApplication.clipboard().mimeData().html()
    assert "<table>" in html and "£1,234,568" in html


def test_one_value_pasted_into_a_selected_range_fills_it(qtbot, window):
    model, first, below = _grant_rows(window)
    view = window.editors.contributions_view
    last = model.index(first.row(), first.column() + 2)
    _clip("£2,500,000")
    _select(view, first, last)
    assert view.paste()
    row = [model.index(first.row(), first.column() + i) for i in range(3)]
    assert _amounts(model, row) == ["2,500,000"] * 3


@pytest.mark.parametrize(
    "copied, pence",
    [
        ("£5,500,000", 550_000_000),
        ("5,500,000.00", 550_000_000),
        ("5\u00a0500\u00a0000", 550_000_000),  # Excel's non-breaking spaces
        (" £ -   ", 0),  # the accounting format's zero
        ("", None),  # a blank clears its cell, as in Excel
    ],
)
def test_what_excel_copies_is_taken(qtbot, window, copied, pence):
    model, first, _ = _grant_rows(window)
    model.setData(first, "1")
    _clip(copied + "\r\n")
    _select(window.editors.contributions_view, first)
    assert window.editors.contributions_view.paste()
    plan = window.doc.plan
    year, (_, body, sid) = fy.parse("2014-15"), model.rows[first.row()]
    cell = window.doc.file.find_contribution(body, year, sid)
    assert (cell.amount_pence if cell else None) == pence
    assert plan is window.doc.plan


@pytest.mark.parametrize(
    "block, where, phrase",
    [
        ("3000000\tlots\n4000000\t4500000", "first", "'lots' is not an amount"),
        ("1\t2\t3\t4\t5\t6\t7\t8\t9", "first", "past the grid's last column"),
        ("1\t2", "last year", "not a figure that can be typed"),  # onto the total column
        (
            "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n16\n17\n18\n19\n20",
            "first",
            "past the grid's last row",
        ),
        ("-5", "first", "negative"),
    ],
)
def test_a_paste_with_anything_wrong_is_refused_whole_with_one_message(
    qtbot, window, block, where, phrase
):
    model, first, _ = _grant_rows(window)
    view = window.editors.contributions_view
    anchor = first if where == "first" else police_cell(window, window.doc.plan.last_year)
    before = jsonio.dumps(window.doc.plan)
    steps = window.doc.undo_stack.count()
    _clip(block)
    _select(view, anchor)
    assert not view.paste()
    assert phrase in window.statusBar().currentMessage()
    assert jsonio.dumps(window.doc.plan) == before
    assert window.doc.undo_stack.count() == steps


def test_cut_and_delete_of_a_block_are_one_step_each(qtbot, window):
    model, first, below = _grant_rows(window)
    view = window.editors.contributions_view
    before = jsonio.dumps(window.doc.plan)
    block_end = model.index(below.row(), first.column() + 1)
    _select(view, first, block_end)
    assert view.cut()
    assert QApplication.clipboard().text().count("\r\n") == 2
    assert window.undo_action.text().startswith("&Undo Cut ")
    window.undo_action.trigger()
    assert jsonio.dumps(window.doc.plan) == before
    _select(view, first, block_end)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert window.undo_action.text().startswith("&Undo Empty ")
    window.undo_action.trigger()
    assert jsonio.dumps(window.doc.plan) == before


def test_the_keys_and_the_edit_menu_paste_into_the_table_in_use(qtbot, window):
    model, first, _ = _grant_rows(window)
    view = window.editors.contributions_view
    view.setFocus()
    _select(view, first)
    _clip("7000000")
    qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert model.data(first, Qt.ItemDataRole.EditRole) == "7,000,000"
    _clip("8000000")
    window.paste_cells_action.trigger()
    assert model.data(first, Qt.ItemDataRole.EditRole) == "8,000,000"
    assert [a.text() for a in window.menuBar().actions()[1].menu().actions() if a.text()][2:7] == [
        "Cu&t",
        "&Copy",
        "&Paste",
        "&Delete",
        "Select &All",
    ]


@pytest.mark.parametrize("keys", ["Ctrl+Y", "Ctrl+Shift+Z"])
def test_both_redo_keys_redo(qtbot, window, keys):
    model, first, _ = _grant_rows(window)
    model.setData(first, "9,000,000")
    window.undo_action.trigger()
    assert QKeySequence(keys) in window.redo_action.shortcuts()
    window.timeline.setFocus()
    seq = QKeySequence(keys)[0]
    qtbot.keyClick(window.timeline, seq.key(), seq.keyboardModifiers())
    assert model.data(first, Qt.ItemDataRole.EditRole) == "9,000,000"


def test_paste_works_in_the_schemes_and_settlements_grids(qtbot, window):
    editors = window.editors
    schemes, view = editors.schemes, editors.schemes_view
    first = schemes.index(0, len(schemes.fixed))
    _clip("100000\t200000")
    _select(view, first)
    assert view.paste()
    scheme = window.doc.plan.schemes[schemes.rows[0]]
    years = list(window.doc.plan.year_range)
    assert (scheme.spend[years[0]], scheme.spend[years[1]]) == (10_000_000, 20_000_000)
    settlements, sview = editors.settlements, editors.settlements_view
    cell = settlements.index(0, len(settlements.fixed))
    _clip("confirmed\u00a05,000,000\tindicative")
    _select(sview, cell)
    assert sview.paste()
    s = window.doc.plan.settlements[settlements.rows[0]]
    assert s.years[years[0]].amount_pence == 500_000_000
    assert s.years[years[1]].status.value == "indicative"


# -- the clipboard's text, without the window ---------------------------------------------


def test_a_block_reads_as_excel_writes_it():
    assert clipboard.parse_block("1\t2\r\n3\t4\r\n") == [["1", "2"], ["3", "4"]]
    assert clipboard.parse_block('"two\nlines"\t5\n') == [["two\nlines", "5"]]
    assert clipboard.parse_block("") == [[""]]
    rows = [["a\tb", '"q"', "5500000"], ["", "x", "1.50"]]
    assert clipboard.parse_block(clipboard.tsv(rows)) == rows


def test_a_paste_far_larger_than_a_grid_is_refused():
    with pytest.raises(clipboard.BlockError, match="far larger"):
        clipboard.parse_block("1\t" * (clipboard.MAX_CELLS + 1))


@pytest.mark.parametrize(
    "text, pence",
    [
        ("£5,500,000", 550_000_000),
        ("5,500,000.00", 550_000_000),
        ("-", 0),
        ("£ -", 0),
        ("  ", None),
    ],
)
def test_pasted_amounts(text, pence):
    assert money.parse_pasted(text) == pence


@pytest.mark.parametrize("pence", [0, 1, 99, 100, 550_000_050, 123_456_789_00])
def test_plain_pounds_read_back_as_the_same_pence(pence):
    assert money.parse_pasted(money.plain(pence)) == pence


def test_a_refused_paste_says_why_beside_the_cell_as_well_as_in_the_status_bar(qtbot, window):
    from PySide6.QtWidgets import QToolTip

    model, first, _ = _grant_rows(window)
    _clip("lots")
    _select(window.editors.contributions_view, first)
    QToolTip.hideText()
    assert not window.editors.contributions_view.paste()
    assert "'lots' is not an amount" in QToolTip.text()
