"""The save dialogs' answers: the file type's ending added to what was typed, never put in
place of what follows its last dot, and a second question where the ending added names a file
that is there (the dialog asked only about the name as typed)."""

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from ui.save_target import ask_save_path

PDF = {".pdf": "PDF document"}
TIMELINE = {".png": "PNG image", ".svg": "SVG drawing", ".pdf": "PDF document"}


@pytest.fixture
def answer(monkeypatch, qapp):
    asked: list[str] = []

    def set_answer(path, picked="", replace=QMessageBox.StandardButton.No):
        monkeypatch.setattr(
            QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(path), picked))
        )

        def question(parent, title, text, *a, **k):
            asked.append(text)
            return replace

        monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
        return asked

    return set_answer


def test_a_dotted_name_keeps_what_follows_its_dot(answer, tmp_path):
    answer(tmp_path / "Board pack v1.2")
    assert (
        ask_save_path(None, "Export", tmp_path / "x.pdf", PDF) == tmp_path / "Board pack v1.2.pdf"
    )


def test_the_plans_own_name_becomes_a_pdf_beside_it_not_the_plan(answer, tmp_path):
    answer(tmp_path / "essex.poolplan")
    assert ask_save_path(None, "Export", tmp_path / "x.pdf", PDF) == tmp_path / "essex.poolplan.pdf"


def test_a_name_with_its_ending_is_as_typed_and_not_asked_about_again(answer, tmp_path):
    (tmp_path / "Pack.PDF").write_bytes(b"%PDF")  # the dialog itself asked about this one
    asked = answer(tmp_path / "Pack.PDF")
    assert ask_save_path(None, "Export", tmp_path / "x.pdf", PDF) == tmp_path / "Pack.PDF"
    assert asked == []


def test_the_ending_added_is_the_picked_filters(answer, tmp_path):
    answer(tmp_path / "timeline v2", "SVG drawing (*.svg)")
    got = ask_save_path(None, "Export", tmp_path / "t.pdf", TIMELINE, ".pdf")
    assert got == tmp_path / "timeline v2.svg"


def test_an_added_ending_that_names_a_file_there_is_asked_about(answer, tmp_path):
    (tmp_path / "Board pack v1.pdf").write_bytes(b"%PDF the one sent last week")
    asked = answer(tmp_path / "Board pack v1")
    assert ask_save_path(None, "Export", tmp_path / "x.pdf", PDF) is None  # No: nothing written
    assert asked == ["'Board pack v1.pdf' already exists in '" + tmp_path.name + "'. Replace it?"]
    answer(tmp_path / "Board pack v1", replace=QMessageBox.StandardButton.Yes)
    assert ask_save_path(None, "Export", tmp_path / "x.pdf", PDF) == tmp_path / "Board pack v1.pdf"


def test_cancelling_is_none(answer, tmp_path):
    answer("")
    assert ask_save_path(None, "Export", tmp_path / "x.pdf", PDF) is None


def test_save_a_copy_says_the_name_it_wrote(qtbot, window, tmp_path, answer):
    answer(tmp_path / "Plan v1.2")
    window.save_copy_dialog()
    written = tmp_path / "Plan v1.2.poolplan"
    assert written.exists()
    assert str(written) in window.statusBar().currentMessage()
