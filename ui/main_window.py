"""The main window: the timeline in the middle, the editors below, the findings beside, and the
File/Edit/View/Help menus. It owns the open plan's lifetime; the views own their drawing."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QRect, QSettings, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFileDialog,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from planner import years as fy
from planner.errors import PlanFileError, PlannerError
from planner.store import SUFFIX, PlanFile
from planner.text import clip, quoted, shown, shown_lines
from ui import collector
from ui.document import EVERYTHING, PlanDocument
from ui.editors import Editors
from ui.findings_panel import FindingsPanel
from ui.logs import log, log_file
from ui.models.findings import FindingsModel
from ui.save_target import ask_save_path
from ui.timeline.view import TimelineView

MAX_RECENT = 8
FILE_FILTER = f"Pool plans (*{SUFFIX});;All files (*)"
PLANS = {SUFFIX: "Pool plans"}  # what the save dialogs write, by ending
WORKBOOKS = {".xlsx": "Excel workbook"}


FIRST_SIZE = QSize(1400, 900)  # a first window on a desktop screen
SHORT_SCREEN = 1000  # pixels of height below which the editors start closed


class MainWindow(QMainWindow):
    def __init__(self, settings: QSettings | None = None):
        super().__init__()
        self.settings = settings or QSettings()
        self.doc: PlanDocument | None = None
        self.timeline: TimelineView | None = None
        self.editors: Editors | None = None
        self.findings_model: FindingsModel | None = None
        self.last_message_box: QMessageBox | None = None
        self._channel = None  # answers for the plan this window edits (ui.single_instance)
        self.presenting = False
        self._exporting = False  # the export lets events through: the plan must stay open
        self._base_font = QFont(self.font())

        self.setAcceptDrops(True)
        self.resize(FIRST_SIZE)

        self.banner = QLabel()
        self.banner.setTextFormat(Qt.TextFormat.PlainText)
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(
            "QLabel { background: #fff3cd; color: #5c4400; padding: 8px; "
            "border-bottom: 1px solid #e0c36a; font-weight: bold; }"
        )
        self.banner.hide()
        self.stack = QStackedWidget()
        self.welcome = self._welcome_page()
        self.stack.addWidget(self.welcome)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.banner)
        layout.addWidget(self.stack)
        self.setCentralWidget(central)

        self.editors_dock = QDockWidget("Editors", self)
        self.editors_dock.setObjectName("editors")
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.editors_dock)
        self.findings_dock = QDockWidget("Findings", self)
        self.findings_dock.setObjectName("findings")
        self.findings_panel = FindingsPanel()
        self.findings_panel.selected.connect(self._finding_selected)
        self.findings_dock.setWidget(self.findings_panel)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.findings_dock)
        self.resizeDocks([self.editors_dock], [330], Qt.Orientation.Vertical)
        self.resizeDocks([self.findings_dock], [440], Qt.Orientation.Horizontal)

        self._make_actions()
        self._make_menus()
        self.statusBar()
        self._restore_layout()
        self._update_title()
        self._update_actions()

    # -- pages ------------------------------------------------------------------------------

    def _welcome_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        title = QLabel("<h2>Pool Planner</h2><p>Open a pooled-budget plan, or start one.</p>")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(title)
        for text, slot in (
            ("Open a plan\u2026", self.open_dialog),
            ("New plan\u2026", self.new_plan_dialog),
        ):
            b = QPushButton(text)
            b.setMinimumWidth(220)
            b.clicked.connect(slot)
            layout.addWidget(b, 0, Qt.AlignmentFlag.AlignCenter)
        layout.addStretch(2)
        return page

    # -- actions and menus ------------------------------------------------------------------

    def _action(self, text, slot, shortcut=None, checkable=False) -> QAction:
        a = QAction(text, self)
        if shortcut is not None:
            a.setShortcut(QKeySequence(shortcut))
        a.setCheckable(checkable)
        a.triggered.connect(slot)
        return a

    def _make_actions(self) -> None:
        S = QKeySequence.StandardKey
        self.new_action = self._action("&New Plan\u2026", self.new_plan_dialog, S.New)
        self.open_action = self._action("&Open\u2026", self.open_dialog, S.Open)
        self.save_as_action = self._action("Save &As\u2026", self.save_as_dialog, S.SaveAs)
        self.copy_action = self._action("Save a &Copy As\u2026", self.save_copy_dialog)
        self.copy_bare_action = self._action(
            "Save a Copy &without History\u2026", lambda: self.save_copy_dialog(with_history=False)
        )
        self.history_action = self._action("&History\u2026", self.show_history, "Ctrl+H")
        self.name_action = self._action("Your &Name in the History\u2026", self.ask_display_name)
        self.export_timeline_action = self._action(
            "Export &Timeline\u2026", self.export_timeline_dialog
        )
        self.export_board_pack_action = self._action(
            "Export &Board Pack (PDF)\u2026", self.export_board_pack_dialog
        )
        self.print_preview_action = self._action("Print Pre&view\u2026", self.print_preview_dialog)
        self.export_excel_action = self._action(
            "Export to &Excel\u2026", self.export_excel_dialog, "Ctrl+Shift+E"
        )
        self.sign_off_settings_action = self._action(
            "Sign-off Se&ttings\u2026", self.sign_off_settings_dialog
        )
        self.monitoring_settings_action = self._action(
            "&Monitoring Settings\u2026", self.monitoring_settings_dialog
        )
        self.export_quarter_action = self._action(
            "Export &Quarterly Return\u2026", self.export_quarter_dialog
        )
        self.import_quarter_action = self._action(
            "Import Q&uarterly Return\u2026", self.import_quarter_dialog
        )
        self.import_return_action = self._action(
            "Import Partner &Return\u2026", self.import_return_dialog, "Ctrl+Shift+I"
        )
        self.close_action = self._action("&Close", self.close_plan, S.Close)
        self.reload_action = self._action("&Reload", self.reload, S.Refresh)
        self.quit_action = self._action("&Quit", self.close, S.Quit)
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.undo_action = self._action("&Undo", self._undo, S.Undo)
        self.redo_action = self._action("&Redo", self._redo, S.Redo)
        # KDE's and Windows' both: Ctrl+Shift+Z and Ctrl+Y.
        redo_keys = [QKeySequence(k) for k in ("Ctrl+Shift+Z", "Ctrl+Y")]
        self.redo_action.setShortcuts(
            [*(k for k in QKeySequence.keyBindings(S.Redo) if k not in redo_keys), *redo_keys]
        )
        # The cells of the table in use; a table takes these keys itself while it has focus.
        self.cut_cells_action = self._action("Cu&t", lambda: self._cells("cut"), S.Cut)
        self.copy_cells_action = self._action("&Copy", lambda: self._cells("copy"), S.Copy)
        self.paste_cells_action = self._action("&Paste", lambda: self._cells("paste"), S.Paste)
        self.clear_cells_action = self._action("&Delete", lambda: self._cells("clear"), S.Delete)
        self.select_cells_action = self._action(
            "Select &All", lambda: self._cells("selectAll"), S.SelectAll
        )
        self.expand_action = self._action(
            "Show &Settlements in Timeline", self._toggle_expand, "Ctrl+E", checkable=True
        )
        self.less_unsure_action = self._action(
            "Pool &Without Indicative and Results Money",
            lambda: (
                self.timeline and self.timeline.set_less_unsure(self.less_unsure_action.isChecked())
            ),
            "Ctrl+Shift+W",
            checkable=True,
        )
        self.present_action = self._action(
            "&Presentation Mode", self.toggle_presentation, "F11", checkable=True
        )
        self.exit_present_action = self._action(
            "Leave Presentation Mode", lambda: self.set_presentation(False), "Esc"
        )
        self.addAction(self.exit_present_action)
        self.about_action = self._action("&About Pool Planner", self.show_about)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.shortcuts_action = self._action(
            "&Keyboard Shortcuts", self.show_shortcuts, S.HelpContents
        )

    def _make_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addActions([self.new_action, self.open_action])
        self.recent_menu = file_menu.addMenu("Open &Recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addSeparator()
        file_menu.addActions(
            [
                self.save_as_action,
                self.copy_action,
                self.copy_bare_action,
                self.sign_off_settings_action,
                self.monitoring_settings_action,
                self.export_excel_action,
                self.import_return_action,
                self.export_quarter_action,
                self.import_quarter_action,
                self.export_timeline_action,
                self.export_board_pack_action,
                self.print_preview_action,
            ]
        )
        file_menu.addSeparator()
        file_menu.addActions([self.reload_action, self.close_action, self.quit_action])
        edit_menu = bar.addMenu("&Edit")
        edit_menu.addActions([self.undo_action, self.redo_action])
        edit_menu.addSeparator()
        edit_menu.addActions(self._cell_actions())
        edit_menu.addSeparator()
        edit_menu.addAction(self.name_action)
        view_menu = bar.addMenu("&View")
        view_menu.addAction(self.expand_action)
        view_menu.addAction(self.less_unsure_action)
        view_menu.addAction(self.history_action)
        view_menu.addSeparator()
        view_menu.addAction(self.editors_dock.toggleViewAction())
        view_menu.addAction(self.findings_dock.toggleViewAction())
        view_menu.addSeparator()
        view_menu.addAction(self.present_action)
        help_menu = bar.addMenu("&Help")
        help_menu.addActions([self.shortcuts_action, self.about_action])

    def _update_actions(self) -> None:
        has = self.doc is not None
        for a in (
            self.save_as_action,
            self.copy_action,
            self.copy_bare_action,
            self.history_action,
            self.export_timeline_action,
            self.export_board_pack_action,
            self.print_preview_action,
            self.export_excel_action,
            self.sign_off_settings_action,
            self.monitoring_settings_action,
            self.export_quarter_action,
            self.import_quarter_action,
            self.import_return_action,
            self.close_action,
            self.expand_action,
            self.present_action,
            *self._cell_actions(),
        ):
            a.setEnabled(has)
        # Reading another window's plan: reload to see its edits, or to edit once it closes.
        self.reload_action.setEnabled(has and self.doc.read_only)
        stack = self.doc.undo_stack if has else None
        self.undo_action.setEnabled(bool(stack and stack.canUndo()))
        self.redo_action.setEnabled(bool(stack and stack.canRedo()))
        self.undo_action.setText(f"&Undo {stack.undoText()}".strip() if stack else "&Undo")
        self.redo_action.setText(f"&Redo {stack.redoText()}".strip() if stack else "&Redo")

    def _undo(self) -> None:
        if self.doc:
            self.doc.undo_stack.undo()

    def _redo(self) -> None:
        if self.doc:
            self.doc.undo_stack.redo()

    def _cell_actions(self) -> list[QAction]:
        return [
            self.cut_cells_action,
            self.copy_cells_action,
            self.paste_cells_action,
            self.clear_cells_action,
            self.select_cells_action,
        ]

    def _cells(self, what: str) -> None:
        """Cut, copy, paste, empty or select in the table that has focus, else the one on the
        editors' open tab."""
        from ui.plan_table import PlanTable

        table = QApplication.focusWidget()
        while table is not None and not isinstance(table, PlanTable):
            table = table.parentWidget()
        if table is None and self.editors is not None:
            table = self.editors.currentWidget().findChild(PlanTable)
        if table is None:
            self.statusBar().showMessage("Select cells in one of the editors' tables first.", 6000)
            return
        getattr(table, what)()

    # -- opening and closing plans ----------------------------------------------------------

    def open_path(self, path: str | Path) -> bool:
        """Open a plan. A file that is not a plan, is damaged or newer shows a message and
        nothing changes: the plan already open stays open. A plan this user already has open
        for editing, here or in another Pool Planner, is brought forward instead (True if in
        this window); one a colleague has open is opened read-only only if the user says so."""
        path = Path(path)
        if self._refuse_while_exporting():
            return False
        holder = _window_editing(path)
        if holder is not None:
            holder.bring_forward()
            return holder is self
        from ui.single_instance import hand_over

        if hand_over(path):
            self.statusBar().showMessage(
                f"{quoted(path)} is open in another Pool Planner window: it has been brought "
                f"forward.",
                10000,
            )
            return False
        from ui.busy import busy

        try:
            with collector.long_lived(), busy():
                plan_file = PlanFile.open(path, who=self._display_name())
                if plan_file.locked_by_other and not self._open_read_only_anyway(plan_file):
                    plan_file.close()
                    return False
                self._close_doc()
                self._attach(PlanDocument(plan_file, self))
        except PlanFileError as e:  # only opening raises it: the plan open before stays open
            log.info("refused to open %s: %s", path, e)
            self.show_message("This file cannot be opened", str(e), QMessageBox.Icon.Warning)
            return False
        self._remember_recent(path)
        if plan_file.locked_by_other:
            self.banner.setText(
                f"Read-only: this plan is open for editing by {_holder(plan_file)}. You can "
                f"look, but changes cannot be made here. This view does not follow their edits: "
                f"File > Reload (F5) shows the latest, and lets you edit once they have closed it."
            )
        elif plan_file.older_format is not None:
            self.banner.setText(
                f"This plan was saved by an older Pool Planner (file format "
                f"{plan_file.older_format}). It is left exactly as it is until you make a "
                f"change; you will be asked then whether to upgrade it."
            )
        elif plan_file.recovered_on_copy:
            self.banner.setText(
                "Read-only: the last save of this plan was cut off, and its folder cannot be "
                "written to, so this is the plan as last saved, recovered on a copy. Save a copy "
                "somewhere you can write to edit it."
            )
        elif plan_file.read_only:
            self.banner.setText("Read-only: this file cannot be written to.")
        self.banner.setVisible(plan_file.read_only)
        return True

    def _open_read_only_anyway(self, plan_file: PlanFile) -> bool:
        """The plan is open for editing elsewhere: say by whom, and open it read-only only if
        the user asks to."""
        box = self._question(
            QMessageBox.Icon.Information,
            "This plan is open elsewhere",
            f"{quoted(plan_file.path)} is open for editing by {_holder(plan_file)}. You can open "
            f"it read-only to look; to change it, wait until they have closed it.",
        )
        read_only = box.addButton("Open Read-only", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(read_only)
        box.exec()
        return box.clickedButton() is read_only

    def bring_forward(self) -> None:
        self.showNormal() if self.isMinimized() else self.show()
        self.raise_()
        self.activateWindow()
        self.statusBar().showMessage("This plan is already open here.", 6000)

    def _attach(self, doc: PlanDocument) -> None:
        self.doc = doc
        if not doc.read_only:  # the lock's holder answers for the plan
            from ui.single_instance import PlanChannel

            self._channel = PlanChannel(doc.file.path, self)
            self._channel.show_requested.connect(self.bring_forward)
        doc.ask_upgrade = self._ask_upgrade
        doc.upgraded.connect(self._on_upgraded)
        doc.file.display_name = self._display_name()
        self.timeline = TimelineView(doc)
        # Before its first layout: only the painter needs telling.
        self.timeline.painter.less_unsure = self.less_unsure_action.isChecked()
        self.timeline.bodyYearClicked.connect(self._timeline_clicked)
        self.timeline.settlementClicked.connect(self._settlement_clicked)
        self.stack.addWidget(self.timeline)
        self.stack.setCurrentWidget(self.timeline)
        self.editors = Editors(doc)
        self.editors.refused.connect(self.show_refusal)
        self.editors.settlements.offer_move = lambda text: self.confirm("Move the money?", text)
        self.editors.confirm_refund = lambda text: self.confirm("Record a refund?", text)
        self.editors_dock.setWidget(self.editors)
        self.findings_model = FindingsModel(doc, self)
        self.findings_model.refused.connect(self.show_refusal)
        self.findings_panel.set_model(self.findings_model)
        doc.changed.connect(self._on_changed)
        doc.failed.connect(
            lambda text: self.show_message("Change not made", text, QMessageBox.Icon.Warning)
        )
        doc.undo_stack.indexChanged.connect(self._update_actions)
        self._on_changed(EVERYTHING)
        self.expand_action.setChecked(False)
        self._update_title()
        self._update_actions()

    def _close_doc(self, collect: bool = True) -> None:
        if self.doc is None:
            return
        if self._channel is not None:
            self._channel.close()
            self._channel.deleteLater()
            self._channel = None
        self.set_presentation(False)
        self.findings_panel.set_model(None)
        self.editors_dock.setWidget(QWidget())
        self.stack.removeWidget(self.timeline)
        # The document and findings model are the window's children: without this, every plan
        # ever opened in the window stayed in memory.
        for obj in (self.timeline, self.editors, self.findings_model, self.doc):
            obj.deleteLater()
        self.doc.close()
        self.doc = self.timeline = self.editors = self.findings_model = None
        self.banner.hide()
        self.findings_dock.setWindowTitle("Findings")  # not the count of the plan just closed
        collector.release(collect)

    def reload(self) -> None:
        """Open the plan afresh from disk (for a read-only window)."""
        if self.doc is None:
            return
        path = self.doc.file.path
        self.close_plan()
        self.open_path(path)

    def close_plan(self) -> None:
        if self._refuse_while_exporting():
            return
        self._close_doc()
        self.stack.setCurrentWidget(self.welcome)
        self._update_title()
        self._update_actions()

    def open_dialog(self) -> None:
        start = str(Path(self.settings.value("last_plan", "") or Path.home()).parent)
        path, _ = QFileDialog.getOpenFileName(self, "Open plan", start, FILE_FILTER)
        if path:
            self.open_path(path)

    def new_plan_dialog(self) -> None:
        from ui.new_plan import NewPlanDialog

        dialog = NewPlanDialog(self)
        if dialog.exec():
            path = ask_save_path(
                self, "Save new plan as", Path.home() / f"{dialog.name()}{SUFFIX}", PLANS
            )
            if path is None:
                return
            try:
                PlanFile.create(path, dialog.plan(), overwrite=path.exists()).close()
            except PlannerError as e:
                self.show_message("The plan could not be created", str(e))
                return
            self.open_path(path)

    def save_copy_dialog(self, with_history: bool = True) -> None:
        """A copy of the plan; without its history for one sent to partners."""
        if not self.doc:
            return
        stem = self.doc.file.path.stem
        suggested = self.doc.file.path.with_name(
            f"{stem} copy{SUFFIX}" if with_history else f"{stem} for partners{SUFFIX}"
        )
        title = "Save a copy as" if with_history else "Save a copy without the history as"
        path = ask_save_path(self, title, suggested, PLANS)
        if path:
            try:
                self.doc.file.save_copy(path, with_history=with_history)
                kept = "" if with_history else " without its history or earlier versions"
                self.statusBar().showMessage(f"Saved a copy{kept} as {shown(str(path))}", 6000)
            except PlannerError as e:
                self.show_message("The copy could not be saved", str(e))

    def save_as_dialog(self) -> None:
        if not self.doc:
            return
        path = ask_save_path(self, "Save the plan as", self.doc.file.path, PLANS)
        if path:
            self.save_as(path)

    def save_as(self, path: Path) -> bool:
        """File > Save As: the plan, with its history, written to ``path``, which this window
        then edits (the file it came from stays as it is). The undo steps stay with that file:
        the history in the new one holds them, and View > History can revert any of them."""
        try:
            self.doc.file.save_copy(path, with_history=True)
        except PlannerError as e:
            self.show_message("The plan could not be saved", str(e))
            return False
        if not self.open_path(path):
            return False
        self.statusBar().showMessage(f"Saved as {shown(str(path))}; editing it now.", 8000)
        return True

    def show_history(self):
        """View > History (window-modal, not blocking: the caller may ``exec()`` it)."""
        from ui.history import HistoryDialog

        if not self.doc:
            return None
        try:
            dialog = HistoryDialog(self.doc, self)
        except PlannerError as e:
            self.show_message("The history could not be shown", str(e))
            return None
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.open()
        return dialog

    def _ask_upgrade(self) -> str:
        """Before the first change to an older-format plan: upgrade it, keep it read-only, or
        save an upgraded copy (and open that)."""
        box = self._question(
            QMessageBox.Icon.Question,
            "Upgrade this plan?",
            f"{quoted(self.doc.file.path)} was saved by an older version of Pool Planner. To change "
            f"it, it must be upgraded to this version's file format, and older versions of Pool "
            f"Planner will not open it after that. The file as it is now is kept beside it.",
        )
        upgrade = box.addButton("Upgrade", QMessageBox.ButtonRole.AcceptRole)
        copy = box.addButton("Save an Upgraded Copy\u2026", QMessageBox.ButtonRole.ActionRole)
        box.addButton("Keep Read-only", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(upgrade)
        box.exec()
        if box.clickedButton() is upgrade:
            return "upgrade"
        if box.clickedButton() is copy:
            QTimer.singleShot(0, self.save_copy_dialog)
            return "copy"
        self.banner.hide()
        return "read_only"

    def _on_upgraded(self) -> None:
        self.banner.hide()
        self.statusBar().showMessage(
            f"Upgraded {quoted(self.doc.file.path)}; the file as it was is kept beside it.", 10000
        )

    def _display_name(self) -> str:
        """The name given for the history, if it is still one the history can hold."""
        from planner import fields

        try:
            return fields.DISPLAY_NAME.check(str(self.settings.value("display_name", "") or ""))
        except PlannerError:
            return ""  # a settings file edited by hand: the computer's user name still says who

    def ask_display_name(self) -> None:
        """The name the history gives beside the computer's user name (kept in the settings)."""
        current = str(self.settings.value("display_name", "") or "")
        name, ok = QInputDialog.getText(
            self,
            "Your name in the history",
            "Your name, as the plan's history shows it:",
            text=current,
        )
        if not ok:
            return
        from planner import fields

        try:
            name = fields.DISPLAY_NAME.check(" ".join(name.split()))
        except PlannerError as e:
            self.show_message("That name cannot be used", str(e))
            return
        self.settings.setValue("display_name", name)
        if self.doc:
            self.doc.file.display_name = name

    def export_timeline_dialog(self) -> None:
        if not self.doc:
            return
        from ui.timeline.export import FORMATS

        suggested = self.doc.file.path.with_name(f"{self.doc.file.path.stem} timeline.pdf")
        path = ask_save_path(self, "Export timeline", suggested, FORMATS, ".pdf")
        if path:
            self.export_timeline(path)

    def sign_off_settings_dialog(self) -> None:
        """What each body approves, and where and by when the workbook goes back."""
        if not self.doc:
            return
        from ui.sign_off_settings import SignOffSettings

        SignOffSettings(self.doc, self).exec()

    def monitoring_settings_dialog(self) -> None:
        """The year monitored, the date its figures are as at, and the findings' threshold."""
        if not self.doc:
            return
        from ui.monitoring_panel import MonitoringSettings

        self.editors_dock.show()
        self.editors.show_monitoring()
        MonitoringSettings(self.doc, self).exec()

    def export_quarter_dialog(self) -> None:
        """The quarterly monitoring return for the year monitored: which quarter, then where."""
        if not self.doc:
            return
        from PySide6.QtWidgets import QInputDialog

        report = self.doc.analysis.report
        if report is None:
            self.show_message(
                "No year is monitored",
                "Choose the year to monitor and its as-at date first (File > Monitoring "
                "Settings); the return is for a quarter of that year.",
            )
            return
        quarters = [f"Q{q}" for q in (1, 2, 3, 4)]
        chosen, ok = QInputDialog.getItem(
            self,
            "Export quarterly return",
            f"The return for {fy.label(report.year)}, as at the end of:",
            quarters,
            max(0, report.quarters_reported - 1),
            False,
        )
        if not ok:
            return
        quarter = quarters.index(chosen) + 1
        suggested = self.doc.file.path.with_name(
            f"{self.doc.file.path.stem} {fy.label(report.year)} Q{quarter}.xlsx"
        )
        path = ask_save_path(self, "Export quarterly return", suggested, WORKBOOKS)
        if path:
            self.export_quarter(path, report.year, quarter)

    def export_quarter(self, path: Path, year: int, quarter: int) -> bool:
        from planner.excel.quarterly import export_quarter

        try:
            export_quarter(self.doc.file, year, quarter, path)
        except PlannerError as e:
            self.show_message("The return could not be written", str(e))
            return False
        self.statusBar().showMessage(
            f"Wrote {shown(str(path))}: the {fy.label(year)} Q{quarter} return", 10000
        )
        return True

    def import_quarter_dialog(self) -> None:
        if not self.doc:
            return
        path, _ = QFileDialog.getOpenFileName(
            self,
            "Import a quarterly return",
            str(self.doc.file.path.parent),
            "Excel workbook (*.xlsx);;All files (*)",
        )
        if path:
            self.import_quarter(Path(path))

    def import_quarter(self, path: Path) -> bool:
        """Read a returned quarterly workbook, show what it changes, and on the user's word
        record it as one edit (one undo step)."""
        from planner.excel.quarterly import apply_quarter, read_quarter, review_lines

        if self.doc.read_only:
            self.show_message(
                "The plan is read-only", "A return can only be recorded in a plan open for editing."
            )
            return False
        try:
            report = read_quarter(self.doc.file, path)
        except PlannerError as e:
            self.show_message("This return cannot be read", str(e))
            return False
        if not (report.actuals or report.explanations):
            self.show_message("Nothing to record", f"{report.summary()} The plan already holds it.")
            return False
        lines = [report.summary(), "", *review_lines(report)]
        lines += ["", "Record these changes as one edit? Undo takes them all back."]
        if not self.confirm("Record the quarterly return?", "\n".join(lines)):
            return False
        try:
            self.doc.perform(lambda f: apply_quarter(f, report))
        except PlannerError as e:
            self.show_message("The return could not be recorded", str(e))
            return False
        self.editors_dock.show()
        self.editors.show_monitoring()
        self.statusBar().showMessage(f"Recorded the return: {report.summary()}", 10000)
        return True

    def export_excel_dialog(self) -> None:
        if not self.doc:
            return
        suggested = self.doc.file.path.with_suffix(".xlsx")
        path = ask_save_path(self, "Export sign-off workbook", suggested, WORKBOOKS)
        if path:
            self.export_excel(path)

    def export_excel(self, path: Path) -> bool:
        """Write the sign-off workbook, with a progress dialog the user can cancel."""
        from PySide6.QtWidgets import QApplication, QProgressDialog

        from planner.excel.export import NOT_RECORDED, export_plan_file
        from planner.excel.fingerprint import short

        dialog = QProgressDialog("Writing the sign-off workbook\u2026", "Cancel", 0, 1, self)
        dialog.setWindowTitle("Export to Excel")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(300)

        class Cancelled(Exception):
            pass

        def progress(step: int, steps: int, what: str) -> None:
            dialog.setMaximum(steps)
            dialog.setValue(step)
            dialog.setLabelText(f"Writing the sign-off workbook: {what}\u2026")
            QApplication.processEvents()
            if dialog.wasCanceled():
                raise Cancelled

        self._exporting = True
        try:
            fp, recorded = export_plan_file(self.doc.file, path, progress=progress)
        except Cancelled:
            self.statusBar().showMessage("Export cancelled; no workbook was written.", 6000)
            return False
        except PlannerError as e:
            self.show_message("The workbook could not be written", str(e))
            return False
        finally:
            self._exporting = False
            dialog.reset()
            dialog.deleteLater()  # a dialog per export, not one more kept for each
        self.statusBar().showMessage(f"Wrote {shown(str(path))} (fingerprint {short(fp)})", 10000)
        if not recorded:
            self.show_message(
                "The workbook was written", NOT_RECORDED, QMessageBox.Icon.Information
            )
        return True

    def import_return_dialog(self) -> None:
        if not self.doc:
            return
        path, _ = QFileDialog.getOpenFileName(
            self,
            "Import a partner's return",
            str(self.doc.file.path.parent),
            "Excel workbook (*.xlsx);;All files (*)",
        )
        if path:
            dialog = self.import_return(Path(path))
            if dialog is not None:
                dialog.exec()

    def import_return(self, path: Path):
        """Read a returned workbook and open the review (window-modal, not blocking: the
        caller may ``exec()`` it). Returns the dialog, or None if the return was refused."""
        from planner.excel.returns import OlderVersionError
        from ui.return_reading import read_in_background
        from ui.return_review import ReturnReviewDialog

        if self.doc.read_only:
            self.show_message(
                "The plan is read-only", "A return can only be recorded in a plan open for editing."
            )
            return None
        try:
            try:
                report = read_in_background(self, self.doc.file, path)
            except OlderVersionError as e:
                if not self.confirm("An older version", str(e)):
                    return None
                report = read_in_background(self, self.doc.file, path, compare_anyway=True)
        except PlannerError as e:  # a ReturnError, or the plan's own refusal
            self.show_message("This return cannot be read", str(e))
            return None
        if report is None:
            self.statusBar().showMessage("Reading the return was cancelled; nothing changed.", 6000)
            return None
        dialog = ReturnReviewDialog(report, self.doc.plan, self)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.accepted.connect(lambda: self._record_return(dialog))
        dialog.open()
        return dialog

    def _record_return(self, dialog) -> None:
        from planner.excel.returns import apply_return

        report = dialog.report
        chosen = dialog.model.chosen()
        sign_offs = dialog.chosen_sign_offs()
        try:
            # The sign-offs and the changes accepted: one transaction, one undo step.
            self.doc.perform(lambda f: apply_return(f, report, chosen, sign_offs))
        except PlannerError as e:
            self.show_message("The return could not be recorded", str(e))
            return
        rejected = len(report.changes) - len(dialog.model.chosen())
        self.statusBar().showMessage(
            f"Recorded {len(sign_offs)} sign-off(s); accepted "
            f"{len(dialog.model.chosen())} change(s), rejected {rejected}.",
            10000,
        )

    def confirm(self, title: str, text: str) -> bool:
        yes, no = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No
        box = self._question(QMessageBox.Icon.Question, title, text)
        box.setStandardButtons(yes | no)
        return box.exec() == yes

    def _question(self, icon: QMessageBox.Icon, title: str, text: str) -> QMessageBox:
        """A box for a question, its text plain: a question may quote a file's name."""
        box = QMessageBox(icon, title, shown_lines(text), QMessageBox.StandardButton.NoButton, self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        return box

    def export_board_pack_dialog(self) -> None:
        if not self.doc:
            return
        suggested = self.doc.file.path.with_name(f"{self.doc.file.path.stem} board pack.pdf")
        path = ask_save_path(self, "Export board pack", suggested, {".pdf": "PDF document"})
        if path:
            self.export_board_pack(path)

    def print_preview_dialog(self) -> None:
        """The board pack in Qt's print preview, to print on paper (A4 landscape)."""
        if not self.doc:
            return
        from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog

        from ui.board_pack import set_up_page

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        set_up_page(printer)
        dialog = QPrintPreviewDialog(printer, self)
        dialog.setWindowTitle("Print Preview: board pack")
        # Qt's default is a small window, a page a postage stamp; most of the window's room.
        dialog.resize(self.width() * 9 // 10, self.height() * 9 // 10)
        dialog.paintRequested.connect(lambda device: self._paint_board_pack(device))
        self.print_preview = dialog  # for tests
        dialog.exec()
        dialog.deleteLater()

    def _paint_board_pack(self, device) -> None:
        from ui.board_pack import paint_board_pack

        try:
            paint_board_pack(self.doc, device)
        except Exception as e:  # said in words: a preview must not take the window down
            self.show_message("The board pack could not be drawn", f"{type(e).__name__}: {e}")

    def export_board_pack(self, path: Path) -> bool:
        from ui.board_pack import write_board_pack
        from ui.busy import busy

        try:
            with busy():
                pages = write_board_pack(self.doc, path)
        except PlannerError as e:
            self.show_message("The board pack could not be exported", str(e))
            return False
        self.statusBar().showMessage(
            f"Board pack ({pages} pages) exported to {shown(str(path))}", 6000
        )
        return True

    def export_timeline(self, path: Path) -> None:
        from ui.timeline.export import export

        try:
            export(self.timeline.painter, path)
            self.statusBar().showMessage(f"Timeline exported to {shown(str(path))}", 6000)
        except PlannerError as e:
            self.show_message("The timeline could not be exported", str(e))

    # -- recent files and layout --------------------------------------------------------------

    def recent_files(self) -> list[str]:
        value = self.settings.value("recent_files", []) or []
        return [value] if isinstance(value, str) else list(value)

    def _remember_recent(self, path: Path) -> None:
        text = str(path.resolve())
        recent = [text] + [p for p in self.recent_files() if p != text]
        self.settings.setValue("recent_files", recent[:MAX_RECENT])
        self.settings.setValue("last_plan", text)

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = self.recent_files()
        for i, path in enumerate(recent, start=1):
            a = self.recent_menu.addAction(f"&{i} {shown(Path(path).name)}")
            a.setToolTip(path)
            a.triggered.connect(lambda _=False, p=path: self.open_path(p))
        if not recent:
            self.recent_menu.addAction("No recent plans").setEnabled(False)

    def _restore_layout(self) -> None:
        geometry = self.settings.value("window/geometry")
        state = self.settings.value("window/state")
        if geometry is None:  # a first run: fit the screen the window is on
            screen = self.screen() or QApplication.primaryScreen()
            self.fit_to(screen.availableGeometry())
        else:
            self.restoreGeometry(geometry)
        if state is not None:
            self.restoreState(state)

    def fit_to(self, available: QRect) -> None:
        """Size the window within ``available`` (a screen less its panels). On a short screen,
        a laptop's or a projector's, the timeline takes the height: the editors start closed
        and open when a bar is clicked (or from View > Editors)."""
        width = min(FIRST_SIZE.width(), int(available.width() * 0.96))
        height = min(FIRST_SIZE.height(), int(available.height() * 0.96))
        self.resize(width, height)
        self.move(available.center() - self.rect().center())
        self.editors_dock.setVisible(available.height() >= SHORT_SCREEN)
        self.resizeDocks([self.findings_dock], [min(440, width // 3)], Qt.Orientation.Horizontal)

    def _refuse_while_exporting(self) -> bool:
        if self._exporting:
            self.statusBar().showMessage(
                "The workbook is being written: wait for it, or cancel it, first.", 6000
            )
        return self._exporting

    def closeEvent(self, event) -> None:
        if self._refuse_while_exporting():
            event.ignore()
            return
        self.set_presentation(False)
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self._close_doc(collect=False)
        super().closeEvent(event)

    # -- drag and drop -------------------------------------------------------------------------

    def dragEnterEvent(self, event) -> None:
        urls = event.mimeData().urls()
        if len(urls) == 1 and urls[0].isLocalFile():
            self._take_a_copy(event)

    def dragMoveEvent(self, event) -> None:
        if event.mimeData().hasUrls():
            self._take_a_copy(event)

    @staticmethod
    def _take_a_copy(event) -> None:
        # A drop is a copy, never a move: told "moved", some file managers delete the source.
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()

    def dropEvent(self, event) -> None:
        urls = event.mimeData().urls()
        if urls and urls[0].isLocalFile():
            self._take_a_copy(event)
            # After the drop finishes: a message box inside a drop handler blocks the source.
            path = urls[0].toLocalFile()
            QTimer.singleShot(0, lambda: self.open_path(path))

    # -- reacting to edits and selections ---------------------------------------------------

    def _on_changed(self, change) -> None:
        self.statusBar().clearMessage()  # an old "Not changed" must not outlive a good edit
        self._update_title()
        self._update_actions()
        if self.doc and self.findings_model is not None:
            n = len(self.doc.findings)
            self.findings_dock.setWindowTitle(f"Findings ({n})" if n else "Findings: none")

    def _timeline_clicked(self, body_id: int, year: int) -> None:
        self.editors_dock.show()  # closed on a short screen: a click on a bar is to edit it
        if self.editors:
            self.editors.show_contribution(body_id, year if year >= 0 else None)
            if year >= 0:  # to type the amount straight away, from the keyboard too
                self.editors.contributions_view.setFocus()

    def _settlement_clicked(self, settlement_id: int, year: int) -> None:
        self.editors_dock.show()
        if self.editors:
            self.editors.show_settlement(settlement_id, year if year >= 0 else None)

    def _finding_selected(self, finding) -> None:
        if self.timeline is None:
            return
        if finding is None:
            self.timeline.set_highlight(None)
        else:
            self.timeline.set_highlight(finding.body_id, finding.years)

    def show_refusal(self, text: str) -> None:
        self.statusBar().showMessage(f"Not changed: {shown(clip(text, 400))}", 10000)

    def show_message(
        self, title: str, text: str, icon: QMessageBox.Icon = QMessageBox.Icon.Warning
    ) -> None:
        """A window-modal message that does not block (tests read ``last_message_box``)."""
        box = QMessageBox(icon, title, shown_lines(text), QMessageBox.StandardButton.Ok, self)
        box.setTextFormat(Qt.TextFormat.PlainText)  # messages quote names from files
        box.setWindowModality(Qt.WindowModality.WindowModal)
        self.last_message_box = box
        box.open()

    def _update_title(self) -> None:
        if self.doc is None:
            self.setWindowTitle("Pool Planner")
            return
        suffix = " (read-only)" if self.doc.read_only else ""
        self.setWindowTitle(
            f"{self.doc.plan.name} \u2014 {shown(self.doc.file.path.name)}{suffix} \u2014 Pool Planner"
        )

    def _toggle_expand(self, checked: bool) -> None:
        if self.timeline:
            self.timeline.expand_all(checked)

    # -- presentation mode -------------------------------------------------------------------

    def toggle_presentation(self) -> None:
        self.set_presentation(not self.presenting)

    def set_presentation(self, on: bool) -> None:
        """Full screen, large type, only the timeline and the findings: for the projector."""
        if on == self.presenting or (on and self.doc is None):
            self.present_action.setChecked(self.presenting)
            return
        self.presenting = on
        self.present_action.setChecked(on)
        if on:
            self._saved_state = self.saveState()
            self._was_maximized = self.isMaximized()
            self.editors_dock.hide()
            self.findings_dock.show()
            self.menuBar().hide()
            self.statusBar().hide()
            self.findings_panel.set_large(True, self._base_font)
            self.showFullScreen()
            self._fit_findings_dock()
            # Again once full screen has its size (window managers apply it later).
            QTimer.singleShot(50, self._fit_findings_dock)
        else:
            self.menuBar().show()
            self.statusBar().show()
            self.findings_panel.set_large(False, self._base_font)
            self.restoreState(self._saved_state)
            if self._was_maximized:
                self.showMaximized()
            else:
                self.showNormal()
        if self.timeline:
            self.timeline.set_presentation(on, self._base_font)

    def _fit_findings_dock(self) -> None:
        """In presentation mode the findings take a quarter of the screen, rows fitted to
        their wrapped headlines."""
        if self.presenting:
            self.resizeDocks(
                [self.findings_dock], [int(self.width() * 0.25)], Qt.Orientation.Horizontal
            )
            self.findings_panel.view.resizeRowsToContents()

    # -- help ---------------------------------------------------------------------------------

    def show_about(self) -> None:
        from planner import __version__

        self.show_message(
            "About Pool Planner",
            f"Pool Planner {__version__}\n\nPlans pooled public budgets across councils, the "
            f"NHS, police and other partners, and shows which money is confirmed, indicative "
            f"or unfunded.\n\nProblems are logged to {log_file()}.",
            QMessageBox.Icon.Information,
        )

    def show_shortcuts(self) -> None:
        rows = [
            (self.new_action, "New plan"),
            (self.open_action, "Open a plan"),
            (self.copy_action, "Save a copy"),
            (self.close_action, "Close the plan"),
            (self.undo_action, "Undo"),
            (self.redo_action, "Redo (Ctrl+Y too)"),
            (self.copy_cells_action, "Copy cells"),
            (self.paste_cells_action, "Paste cells, from Excel too"),
            (self.expand_action, "Show settlements in the timeline"),
            (self.present_action, "Presentation mode (Esc leaves it)"),
            (self.quit_action, "Quit"),
        ]
        text = "\n".join(
            f"{a.shortcut().toString(QKeySequence.SequenceFormat.NativeText):<14}{label}"
            for a, label in rows
        )
        text += (
            "\n\nIn a table: type to replace a cell, F2 to edit it, Enter to accept, "
            "Esc to cancel, Delete to empty the selected figures. Copy, cut and paste work with "
            "blocks of cells, to and from Excel."
        )
        self.show_message("Keyboard shortcuts", text, QMessageBox.Icon.Information)


def _window_editing(path: Path) -> MainWindow | None:
    """The window of this process that has ``path`` open for editing, if one has."""
    for w in QApplication.topLevelWidgets():
        if isinstance(w, MainWindow) and w.doc is not None and not w.doc.read_only:
            try:
                if os.path.samefile(w.doc.file.path, path):
                    return w
            except OSError:
                continue
    return None


def _holder(plan_file: PlanFile) -> str:
    owner = plan_file.locked_by
    return owner.describe() if owner else "another Pool Planner, which did not record who"
