"""Write the problems back onto a copy of the user's workbook: ``validate --annotate OUT.xlsx``.

Staff fix problems in the workbook, not in a terminal, so the copy shows each problem where it is: the
cell is coloured (errors darker than warnings, so the difference survives a grayscale printer) and a note
on it says what is wrong and what to do. A ``Problems`` sheet, first in the copy, lists them all with a
link to each cell. The user's own workbook is never written: the copy is loaded fully (formatting,
formulas, comments and drop-downs kept) and saved atomically under another name.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from directory_builder.check.problems import Problem
from directory_builder.i18n import N_, _, gettext_
from directory_builder.util.errors import InputError
from directory_builder.workbook.reader import check_archive
from directory_builder.workbook.template import (
    AUTHOR,
    keep_document_dates,
    quote_sheet,
    row_height,
    safe_sheet_name,
    save_workbook_atomically,
)

#: Highlight colours. Their grey levels differ (about 60% and 90% luminance), so errors and warnings stay
#: distinguishable when printed in black and white; errors also get a dark border.
ERROR_FILL = "F08080"
WARNING_FILL = "FFE699"
ERROR_BORDER_COLOUR = "9C0006"

PROBLEMS_SHEET = N_("Problems")
_HEADERS = (N_("Severity"), N_("Where"), N_("Column"), N_("Problem"), N_("What to do"))
_WIDTHS = (12, 18, 26, 60, 60)
_NO_PROBLEMS = N_("No problems found.")
_SEVERITY_WORDS = {"error": N_("Error"), "warning": N_("Warning")}


def annotate_workbook(source: Path, problems: Sequence[Problem], out: Path, lang: str = "en") -> Path:
    """Save a copy of ``source`` at ``out`` with every problem highlighted, noted and listed.

    Problems without a cell mark the first cell of their row, or the sheet's first cell (A1) when they
    have no row either; problems on a sheet the workbook lacks are only listed.
    """
    source, out = Path(source), Path(out)
    _refuse_same_file(source, out)
    check_archive(source)
    wb = _load(source)
    by_cell: dict[tuple[str, str], list[Problem]] = {}
    targets: list[tuple[Problem, Worksheet | None, str | None]] = []
    for problem in problems:
        ws = _find_sheet(wb, problem.sheet)
        coordinate = _target_cell(ws, problem) if ws is not None else None
        targets.append((problem, ws, coordinate))
        if ws is not None and coordinate is not None:
            by_cell.setdefault((ws.title, coordinate), []).append(problem)
    for (title, coordinate), cell_problems in by_cell.items():
        _mark_cell(wb[title], coordinate, cell_problems, lang)
    _problems_sheet(wb, targets, lang)
    keep_document_dates(wb, source)
    wb.properties.lastModifiedBy = AUTHOR
    return save_workbook_atomically(wb, out, private=True)  # holds what the workbook holds


# ------------------------------------------------------------------------------------------ loading


def _refuse_same_file(source: Path, out: Path) -> None:
    same = source.resolve() == out.resolve()
    if not same and out.exists() and source.exists():
        try:
            same = out.samefile(source)
        except OSError:
            same = False
    if same:
        raise InputError(_("The annotated copy cannot replace the workbook itself ('{path}'). Give another "
                           "file name, for example 'problems.xlsx'.").format(path=source))
    if out.suffix.lower() != ".xlsx":
        raise InputError(_("'{path}' does not end with .xlsx. Give a name like 'problems.xlsx'.").format(path=out))


def _load(source: Path) -> Workbook:
    """The whole workbook, formulas and formatting included (not read-only: the copy must keep them)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return load_workbook(source, rich_text=True)
    except Exception as exc:  # openpyxl raises many types for broken files
        raise InputError(
            _("The workbook '{path}' could not be read ({reason}). Open it in Excel or LibreOffice and save it "
              "again as .xlsx.").format(path=source, reason=type(exc).__name__)
        ) from exc


def _find_sheet(wb: Workbook, title: str | None) -> Worksheet | None:
    if not title:
        return None
    if title in wb.sheetnames:
        ws = wb[title]
        return ws if isinstance(ws, Worksheet) else None
    wanted = title.casefold()
    for ws in wb.worksheets:
        if ws.title.casefold() == wanted and isinstance(ws, Worksheet):
            return ws
    return None


def _target_cell(ws: Worksheet, problem: Problem) -> str:
    """The problem's cell; else the first cell of its row; else A1. Merged cells resolve to their anchor."""
    coordinate = problem.cell or (f"A{problem.row}" if problem.row else "A1")
    for merged in ws.merged_cells.ranges:
        if coordinate in merged:
            return str(merged.start_cell.coordinate)
    return coordinate


# ------------------------------------------------------------------------------------------ marking


def _fill(severity: str) -> PatternFill:
    colour = ERROR_FILL if severity == "error" else WARNING_FILL
    return PatternFill("solid", start_color=colour, end_color=colour)


def _note(problem: Problem, lang: str) -> str:
    severity = gettext_(_SEVERITY_WORDS[problem.severity], lang)
    return f"{severity}: {problem.message(lang)}\n{problem.hint(lang)}".strip()


def _mark_cell(ws: Worksheet, coordinate: str, problems: list[Problem], lang: str) -> None:
    """Colour the cell (error wins over warning) and add one note listing all its problems."""
    cell: Any = ws[coordinate]
    worst = "error" if any(p.severity == "error" for p in problems) else "warning"
    cell.fill = _fill(worst)
    if worst == "error":
        side = Side(style="medium", color=ERROR_BORDER_COLOUR)
        cell.border = Border(left=side, right=side, top=side, bottom=side)
    text = "\n\n".join(_note(p, lang) for p in problems)
    if cell.comment is not None and cell.comment.text:
        text = cell.comment.text.rstrip() + "\n\n" + text
    lines = sum(1 + len(part) // 45 for part in text.split("\n"))
    cell.comment = Comment(text, AUTHOR, width=320, height=min(500, 20 + 15 * lines))


# ------------------------------------------------------------------------------------------ Problems sheet


def _unique_title(wb: Workbook, wanted: str) -> str:
    base = safe_sheet_name(wanted) or "Problems"
    taken = {name.casefold() for name in wb.sheetnames}
    title, n = base, 2
    while title.casefold() in taken:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    return title


def _problems_sheet(wb: Workbook, targets: list[tuple[Problem, Worksheet | None, str | None]],
                    lang: str) -> Worksheet:
    """The list of every problem, first in the workbook and selected, with a link to each cell."""
    ws = wb.create_sheet(_unique_title(wb, gettext_(PROBLEMS_SHEET, lang)), 0)
    header_fill = PatternFill("solid", start_color="DDEBF7", end_color="DDEBF7")
    for index, msgid in enumerate(_HEADERS, start=1):
        cell = ws.cell(1, index, gettext_(msgid, lang))
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.alignment = Alignment(vertical="center")
    link_font = Font(color="0563C1", underline="single")
    top = Alignment(vertical="top", wrap_text=True)
    # Errors first, as in every report: they are what stops the build (the order within each stays the report's).
    targets = sorted(targets, key=lambda t: t[0].severity != "error")
    for row, (problem, target_ws, coordinate) in enumerate(targets, start=2):
        message, hint = problem.message(lang), problem.hint(lang)
        values = (gettext_(_SEVERITY_WORDS[problem.severity], lang), problem.where, problem.column or "",
                  message, hint)
        for index, value in enumerate(values, start=1):
            cell = ws.cell(row, index, value)
            cell.alignment = top
        severity = ws.cell(row, 1)
        severity.fill = _fill(problem.severity)
        severity.font = Font(bold=problem.severity == "error")
        if target_ws is not None and coordinate is not None:
            where = ws.cell(row, 2)
            if not where.value:
                where.value = f"{target_ws.title}!{coordinate}"
            where.hyperlink = Hyperlink(ref=where.coordinate, location=f"{quote_sheet(target_ws.title)}!{coordinate}")
            where.font = link_font
        ws.row_dimensions[row].height = row_height(
            [(str(values[2]), _WIDTHS[2]), (message, _WIDTHS[3]), (hint, _WIDTHS[4])], lang)
    if not targets:
        ws.cell(2, 1, gettext_(_NO_PROBLEMS, lang))
    for index, width in enumerate(_WIDTHS, start=1):
        ws.column_dimensions[chr(ord("A") + index - 1)].width = width
    last = max(2, len(targets) + 1)
    ws.auto_filter.ref = f"A1:E{last}"
    ws.freeze_panes = "A2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    for other in wb.worksheets:
        other.sheet_view.tabSelected = other is ws
    wb.active = 0
    return ws


__all__ = ["ERROR_FILL", "PROBLEMS_SHEET", "WARNING_FILL", "annotate_workbook"]
