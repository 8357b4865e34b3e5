"""The command line: a thin typer layer over the library. Parses options, calls, prints; no logic.

Messages go to stderr, data to stdout. Exit codes: 0 success, 1 the workbook has errors, 2 usage error
or unreadable input (one plain sentence, never a traceback unless --debug).
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import traceback
from collections.abc import Callable, Iterable, Iterator
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from typer.core import TyperCommand, TyperGroup

from directory_builder import __version__
from directory_builder.i18n import N_, SHIPPED_LANGUAGES, _, current_language, set_language, use_language
from directory_builder.i18n.click_hook import install as install_click_translations
from directory_builder.i18n.click_hook import translated_usage_errors, ui_lang_in, write_usage
from directory_builder.i18n.ui import shipped_language, ui_language
from directory_builder.outputs import build_formats, default_build_formats, export_formats, export_output
from directory_builder.render.impose import MAX_CREEP_MM
from directory_builder.util.errors import InputError


class _Command(TyperCommand):
    """A command whose help is translated when shown (the help strings are N_() msgids) and which speaks
    the language of the workbook it is given (see ``i18n/ui.py`` for the order)."""

    def format_help(self, ctx: Any, formatter: Any) -> None:
        with _translated_help([self, *self.params, self.get_help_option(ctx)]):
            super().format_help(ctx, formatter)

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        write_usage(self, ctx, formatter)

    def invoke(self, ctx: Any) -> Any:
        set_language(ui_language(_state["ui_lang"], lambda: _command_workbook_language(self.name, ctx.params)))
        return super().invoke(ctx)


class _Group(TyperGroup):
    def format_help(self, ctx: Any, formatter: Any) -> None:
        with _translated_help([self, *self.params, self.get_help_option(ctx), *self.commands.values()]):
            super().format_help(ctx, formatter)

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        write_usage(self, ctx, formatter)

    def main(self, *args: Any, **kwargs: Any) -> Any:
        """One command line: the language it chose ends with it (a program or test calling ``app`` twice
        in one process does not inherit the first workbook's language)."""
        with use_language(current_language()):
            return super().main(*args, **kwargs)

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        with translated_usage_errors():
            return super().make_context(*args, **kwargs)

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        """Decide the language before anything is parsed, so usage errors are in it too."""
        if ctx.parent is not None:  # a group of commands (translations): the top level decided already
            return super().parse_args(ctx, args)
        _state["ui_lang"] = ui_lang_in(args)
        set_language(ui_language(_state["ui_lang"], lambda: _first_workbook_language(args)))
        return super().parse_args(ctx, args)

    def invoke(self, ctx: Any) -> Any:
        with translated_usage_errors():  # the command's own arguments are parsed in here
            return super().invoke(ctx)


def _first_workbook_language(args: list[str]) -> str | None:
    """The language of the first existing .xlsx on the command line: a mistyped option in a command on
    an Indonesian workbook is explained in Indonesian too."""
    from directory_builder.workbook.language import workbook_language

    for arg in args:
        if arg == "--":
            break
        if arg.lower().endswith(".xlsx") and Path(arg).is_file():
            return workbook_language(Path(arg))
    return None


def _check_ui_lang(value: str | None) -> str | None:
    """A language of messages we have no catalog for is a usage error, not English in silence."""
    if value is not None and shipped_language(value) is None:
        raise typer.BadParameter(_("'{value}' is not a language of messages. Choose one of: {known}.").format(
            value=value, known=", ".join(SHIPPED_LANGUAGES)))
    return value


UI_LANG_HELP = N_("Language of messages: en, id, ms, vi, th. Default: DIRECTORY_BUILDER_LANG, then the "
                  "language the workbook was made in, then the system's.")
#: ``--ui-lang`` is accepted after every command name too; its value was read by ``_Group.parse_args``.
UiLang = Annotated[str | None, typer.Option("--ui-lang", metavar="CODE", callback=_check_ui_lang, help=UI_LANG_HELP)]

#: The parameter naming the workbook whose language the command speaks ("workbook" when not listed).
_LANGUAGE_SOURCE = {"template": "lang", "diff": "new"}


def _command_workbook_language(command: str | None, params: dict[str, Any]) -> str | None:
    """The language of the workbook the command works on (for ``template``: the one it writes)."""
    source = params.get(_LANGUAGE_SOURCE.get(command or "", "workbook"))
    if isinstance(source, Path):
        from directory_builder.workbook.language import workbook_language

        return workbook_language(source)
    return source if isinstance(source, str) else None


@contextlib.contextmanager
def _translated_help(items: list[Any]) -> Iterator[None]:
    saved = [(item, item.help) for item in items if item is not None]
    try:
        for item, text in saved:
            if text:
                item.help = _(text)
        yield
    finally:
        for item, text in saved:
            item.help = text


app = typer.Typer(
    name="directory-builder",
    cls=_Group,
    help=N_("Build Directories of Services for trafficking victims from one Excel workbook."),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

_state: dict[str, Any] = {"debug": False, "ui_lang": None}
install_click_translations()


class ReportFormat(StrEnum):
    text = "text"
    json = "json"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"directory-builder {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help=N_("Show the version."))] = False,
    debug: Annotated[bool, typer.Option("--debug", help=N_("Show the full traceback of unexpected errors."))] = False,
    ui_lang: UiLang = None,
) -> None:
    """Build Directories of Services for trafficking victims from one Excel workbook.

    Start with 'directory-builder template my-directory.xlsx', fill it in, then
    'directory-builder validate my-directory.xlsx' and 'directory-builder build my-directory.xlsx'.
    """
    _state["debug"] = debug or bool(os.environ.get("DIRECTORY_BUILDER_DEBUG"))
    if _state["debug"]:
        _show_debug_log()


def _show_debug_log() -> None:
    """With --debug, the details the library logs (a row whose check failed: its traceback) go to stderr."""
    import logging

    logger = logging.getLogger("directory_builder")
    logger.setLevel(logging.DEBUG)
    if not logger.handlers:
        logger.addHandler(logging.StreamHandler())


def _err(message: str) -> None:
    typer.echo(message, err=True)


def _fail(exc: BaseException, *, outputs: Iterable[Path | None] = (), inputs: Iterable[Path | None] = ()) -> NoReturn:
    """Stop with one sentence: the error's own for an InputError, a plain one for a file-system failure on
    one of the command's paths (``outputs``, ``inputs``), and "unexpected problem" only for real bugs."""
    if _state["debug"]:
        traceback.print_exception(exc)
    if isinstance(exc, OSError) and not isinstance(exc, InputError):
        from directory_builder.util.oserrors import user_path_error

        exc = user_path_error(exc, outputs, inputs) or exc
    if isinstance(exc, InputError):
        _err(str(exc))
        raise typer.Exit(2)
    _err(_("directory-builder stopped because of an unexpected problem ({reason}). Run the same command with "
           "--debug and send the output to the people who maintain directory-builder.").format(
        reason=type(exc).__name__))
    raise typer.Exit(2)


def _out(text: str) -> None:
    """Print data to stdout; a full disk or a closed pipe after '>' or '|' is a sentence, not a traceback."""
    try:
        typer.echo(text)
    except BrokenPipeError:
        # The reader went away ('| head'): nothing more to say. Point stdout at /dev/null so the
        # interpreter's final flush does not complain again.
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise typer.Exit(0) from None
    except OSError as exc:
        from directory_builder.util.oserrors import stdout_error

        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        plain = stdout_error(exc)
        plain.__cause__ = exc  # --debug shows the original error
        _fail(plain)


def _stderr_is_terminal() -> bool:
    return sys.stderr.isatty() and not os.environ.get("CI")


# ------------------------------------------------------------------------------------------- template


@app.command(cls=_Command, help=N_(
    "Write the blank Excel template.\n\n"
    "Example: directory-builder template my-directory.xlsx --lang id --languages id,en"
))
def template(
    out: Annotated[Path, typer.Argument(help=N_("Where to write the blank template, e.g. my-directory.xlsx."))],
    lang: Annotated[str, typer.Option("--lang", help=N_("Language of labels and instructions: en, id, ms, vi, th."))] = "en",
    languages: Annotated[str | None, typer.Option("--languages", help=N_("Languages of the directory, comma separated, e.g. 'id,en'. Default: --lang."))] = None,
    force: Annotated[bool, typer.Option("--force", help=N_("Overwrite OUT if it exists."))] = False,
    ui_lang: UiLang = None,
) -> None:
    # Help text: see the decorator (translated when shown).
    try:
        from directory_builder.util.oserrors import check_output_file
        from directory_builder.workbook.template import write_template

        check_output_file(out)

        if lang not in SHIPPED_LANGUAGES:
            raise InputError(_("'{lang}' is not a language the template is written in. Choose one of: {known}.").format(
                lang=lang, known=", ".join(SHIPPED_LANGUAGES)))
        langs = [code.strip().lower() for code in (languages or lang).split(",") if code.strip()]
        path = write_template(out, lang=lang, languages=langs, force=force)
    except typer.Exit:
        raise
    except Exception as exc:
        _fail(exc, outputs=(out,))
    _err(_("Template written to {path}.").format(path=path))


# ------------------------------------------------------------------------------------------- validate


@app.command(cls=_Command, help=N_(
    "Check a filled workbook and say which cell is wrong and how to fix it.\n\n"
    "Example: directory-builder validate my-directory.xlsx --annotate checked.xlsx"
))
def validate(
    workbook: Annotated[Path, typer.Argument(help=N_("The filled workbook (.xlsx)."))],
    format: Annotated[ReportFormat, typer.Option("--format", help=N_("text (for people) or json (for programs)."))] = ReportFormat.text,
    annotate: Annotated[Path | None, typer.Option("--annotate", help=N_("Write a copy of the workbook with every problem cell highlighted and commented."))] = None,
    fix_ids: Annotated[Path | None, typer.Option("--fix-ids", help=N_("Write a copy of the workbook with the generated IDs filled in."))] = None,
    strict: Annotated[bool, typer.Option("--strict", help=N_("Treat warnings as errors (exit 1)."))] = False,
    ui_lang: UiLang = None,
) -> None:
    # Help text: see the decorator (translated when shown).
    from directory_builder.check.problems import grouped_report_text, report_dict
    from directory_builder.check.validate import validate_workbook

    try:
        from directory_builder.util.oserrors import check_output_file

        for copy in (annotate, fix_ids):
            if copy is not None:
                check_output_file(copy)  # before the work: a file on the way, a folder, a device
        result = validate_workbook(workbook, cache=True)
        if annotate is not None:
            from directory_builder.workbook.annotate import annotate_workbook

            annotate_workbook(workbook, result.problems, annotate, lang=current_language())
        if fix_ids is not None:
            from directory_builder.workbook.ids import write_fixed_ids

            write_fixed_ids(workbook, result.generated_ids(), fix_ids)
    except typer.Exit:
        raise
    except Exception as exc:
        _fail(exc, outputs=(annotate, fix_ids), inputs=(workbook,))
    summary = _summary(result, workbook)
    if format == ReportFormat.json:
        _out(json.dumps(report_dict(result.problems, summary), ensure_ascii=False, indent=2))
    else:
        # One write: echoing 15,000 warnings line by line flushes 15,000 times.
        _out("\n".join([*grouped_report_text(result.problems, district_of=_district_of(result)),
                         _summary_line(summary)]))
    if annotate is not None:
        _err(_("Annotated copy written to {path}.").format(path=annotate))
    if fix_ids is not None:
        _err(_("Copy with IDs filled in written to {path}.").format(path=fix_ids))
    if result.errors or (strict and result.warnings):
        raise typer.Exit(1)


def _district_of(result: Any) -> Callable[[Any], str]:
    """The district of the Services row a problem is on ("" elsewhere, or for all districts), so repeated
    warnings are summed up per district."""
    from directory_builder.columns import SHEET_SERVICES
    from directory_builder.i18n import all_translations

    services = result.directory.services if result.directory else []
    by_row = {s.row: ("" if s.all_districts else s.district) for s in services}
    sheet_names = set(all_translations(SHEET_SERVICES).values())
    return lambda problem: by_row.get(problem.row, "") if problem.sheet in sheet_names else ""


def _summary(result: Any, workbook: Path) -> dict[str, Any]:
    directory = result.directory
    return {
        "workbook": str(workbook),
        "valid": not result.errors,
        "errors": len(result.errors),
        "warnings": len(result.warnings),
        "districts": len(directory.districts) if directory else 0,
        "services": len(directory.services) if directory else 0,
    }


def _summary_line(summary: dict[str, Any]) -> str:
    if summary["errors"]:
        return _("{errors} errors and {warnings} warnings in {services} services. Fix the errors, then run "
                 "validate again.").format(**summary)
    return _("No errors. {warnings} warnings. {services} services in {districts} districts are ready to "
             "build.").format(**summary)


# ------------------------------------------------------------------------------------------- build


class Paper(StrEnum):
    a4 = "a4"
    a5 = "a5"
    letter = "letter"


class EditionChoice(StrEnum):
    public = "public"
    practitioners = "practitioners"


@app.command(cls=_Command, help=N_(
    "Make the PDF booklets, pocket cards and web pages for every district and language.\n\n"
    "Example: directory-builder build my-directory.xlsx --out directory --paper a5"
))
def build(
    workbook: Annotated[Path, typer.Argument(help=N_("The filled workbook (.xlsx)."))],
    out: Annotated[Path, typer.Option("--out", help=N_("Output folder."))] = Path("directory"),
    format: Annotated[str, typer.Option("--format", metavar=",".join(build_formats()), help=N_("What to make, one or more formats separated by commas."))] = ",".join(default_build_formats()),
    lang: Annotated[str | None, typer.Option("--lang", help=N_("Languages to build, comma separated. Default: the workbook's Languages setting."))] = None,
    district: Annotated[list[str] | None, typer.Option("--district", help=N_("Build only this district (repeat for several)."))] = None,
    paper: Annotated[Paper, typer.Option("--paper", help=N_("Booklet paper size."))] = Paper.a5,
    edition: Annotated[EditionChoice, typer.Option("--edition", help=N_("public (for victims) or practitioners."))] = EditionChoice.public,
    skip_invalid: Annotated[bool, typer.Option("--skip-invalid", help=N_("Leave rows with errors out instead of stopping."))] = False,
    jobs: Annotated[int | None, typer.Option("--jobs", min=1, help=N_("Parallel processes. Default: the number of cores."))] = None,
    template_dir: Annotated[list[Path] | None, typer.Option("--template-dir", help=N_("A folder of your own templates and styles, searched before the built-in ones."))] = None,
    neutral_title: Annotated[bool, typer.Option("--neutral-title", help=N_("No title a stranger could see (booklet cover, PDF properties, web pages, index) mentions trafficking: the 'Neutral title' setting is used, or 'Useful services'."))] = False,
    full: Annotated[bool, typer.Option("--full", help=N_("Rebuild every district, even unchanged ones."))] = False,
    strict: Annotated[bool, typer.Option("--strict", help=N_("Treat warnings as errors."))] = False,
    force: Annotated[bool, typer.Option("--force", help=N_("Build into a folder that directory-builder did not make, replacing files in the way of its outputs."))] = False,
    print_shop: Annotated[bool, typer.Option("--print-shop", help=N_("Booklets and pocket cards for a print shop: 3 mm bleed, crop marks, trim and bleed boxes."))] = False,
    creep: Annotated[float, typer.Option("--creep", min=0.0, max=MAX_CREEP_MM, metavar="MM", help=N_("booklet-imposed: move the pages of the innermost sheet this many millimetres towards the fold (thick booklets)."))] = 0.0,
    ui_lang: UiLang = None,
) -> None:
    # Help text: see the decorator (translated when shown).
    from directory_builder.build.runner import BuildOptions, build_directory
    from directory_builder.check.problems import grouped_report_text

    formats = tuple(f.strip().lower() for f in format.split(",") if f.strip())
    bad = [f for f in formats if f not in build_formats()]
    if bad or not formats:
        _err(_("'{value}' is not a format. Use one or more of {formats}, separated by commas.").format(
            value=format, formats=", ".join(build_formats())))
        raise typer.Exit(2)
    for path in template_dir or ():
        if not path.is_dir():
            _err(_("The template folder '{path}' does not exist.").format(path=path))
            raise typer.Exit(2)
    options = BuildOptions(
        out=out, formats=formats,
        languages=tuple(code.strip().lower() for code in lang.split(",") if code.strip()) if lang else None,
        districts=tuple(district) if district else None, paper=paper.value, edition=edition.value,
        skip_invalid=skip_invalid, jobs=jobs, template_dirs=tuple(template_dir or ()),
        neutral_title=neutral_title, incremental=not full, row_cache=True, force=force,
        print_shop=print_shop, creep_mm=creep,
    )
    try:
        from directory_builder.util.oserrors import check_output_folder

        check_output_folder(out)
        with _progress() as progress:
            result = build_directory(workbook, options, progress=progress)
    except typer.Exit:
        raise
    except KeyboardInterrupt:
        _err(_("Stopped. Files already written are complete; run build again to finish."))
        raise typer.Exit(130) from None
    except Exception as exc:
        _fail(exc, outputs=(out,), inputs=(workbook, *(template_dir or ())))
    validation = result.validation
    # Errors stop the build and come first; warnings only matter with --strict (validate lists them all).
    shown = validation.problems if strict else validation.errors
    for line in grouped_report_text(shown, district_of=_district_of(validation)):
        _err(line)
    if len(shown) < len(validation.problems):
        _err(_("{count} warnings were not shown. To see them all: directory-builder validate {workbook}").format(
            count=len(validation.problems) - len(shown), workbook=workbook))
    if not result.built:
        _err(_("Nothing was built: the workbook has {count} errors. Run 'directory-builder validate' for the "
               "full list, fix them, and build again.").format(count=len(validation.errors)))
        raise typer.Exit(1)
    if result.skipped_rows:
        _err(_("Left out {count} rows with errors: {rows}.").format(
            count=len(result.skipped_rows), rows=", ".join(str(r) for r in result.skipped_rows)))
    for failure in result.failures:
        _err(_("Could not build {district} ({lang}): {message}").format(
            district=failure.district, lang=failure.lang, message=failure.message))
    _err(_("Built {rebuilt} district pages, {reused} unchanged, in {out}. Open {index} to see them.").format(
        rebuilt=len(result.rebuilt), reused=len(result.reused), out=result.out,
        index=(result.out or out) / "index.html"))
    _tell_drafts(options.languages or tuple(validation.directory.settings.languages) if validation.directory else (),
                 options.template_dirs)
    if result.failures or (strict and validation.warnings):
        raise typer.Exit(1)


def _tell_drafts(languages: Iterable[str], template_dirs: tuple[Path, ...]) -> None:
    """Once per build, on stderr: the languages built with draft translations (staff only, never an output)."""
    from directory_builder.translations.drafts import drafts_notice

    notice = drafts_notice(tuple(languages), template_dirs)
    if notice:
        _err(notice)


class _progress:
    """A rich progress bar on a terminal; silent otherwise."""

    def __enter__(self) -> Any:
        if not _stderr_is_terminal():
            self._bar = None
            return None
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self._bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                             TimeRemainingColumn(), console=Console(stderr=True), transient=True)
        self._bar.__enter__()
        self._task = self._bar.add_task(_("Building"), total=None)

        def update(done: int, total: int, label: str) -> None:
            assert self._bar is not None
            self._bar.update(self._task, completed=done, total=total, description=label)

        return update

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)


# ------------------------------------------------------------------------------------------- export, diff, report


def _export_format(value: str) -> str:
    """An ``export --format`` value must name a registered export (a usage error, exit 2)."""
    if export_output(value) is None:
        raise typer.BadParameter(_("'{value}' is not an export format. Use one of: {formats}.").format(
            value=value, formats=", ".join(export_formats())))
    return value


@app.command(cls=_Command, help=N_(
    "Export the published entries for other systems, with the same publishing rules as the directories.\n\n"
    "Example: directory-builder export my-directory.xlsx --format hsds --out hsds/"
))
def export(
    workbook: Annotated[Path, typer.Argument(help=N_("The filled workbook (.xlsx)."))],
    format: Annotated[str, typer.Option("--format", metavar="[" + "|".join(export_formats()) + "]", callback=_export_format, help=N_("hsds (Open Referral HSDS 3.0), hxl (CSV) or json."))],
    out: Annotated[Path, typer.Option("--out", help=N_("Output file, or folder for hsds."))],
    edition: Annotated[EditionChoice, typer.Option("--edition", help=N_("public or practitioners."))] = EditionChoice.public,
    ui_lang: UiLang = None,
) -> None:
    # Help text: see the decorator (translated when shown).
    from directory_builder.build.export import export_workbook

    try:
        from directory_builder.util.oserrors import check_output_file, check_output_folder

        output = export_output(format)
        (check_output_folder if output is not None and output.folder else check_output_file)(out)
        result = export_workbook(workbook, format, out, edition=edition.value)
    except typer.Exit:
        raise
    except Exception as exc:
        _fail(exc, outputs=(out,), inputs=(workbook,))
    if result.errors:
        from directory_builder.check.problems import report_text

        for line in report_text(result.errors):
            _err(line)
        _err(_("Nothing was exported: the workbook has {count} errors.").format(count=len(result.errors)))
        raise typer.Exit(1)
    _err(_("Exported {count} services to {path}.").format(count=result.count, path=out))


class DiffFormat(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"


@app.command(cls=_Command, help=N_(
    "Show what changed between two editions: entries added, removed and changed, field by field.\n\n"
    "Example: directory-builder diff 2025.xlsx 2026.xlsx --format markdown > changes.md"
))
def diff(
    old: Annotated[Path, typer.Argument(help=N_("The earlier edition's workbook."))],
    new: Annotated[Path, typer.Argument(help=N_("The new edition's workbook."))],
    format: Annotated[DiffFormat, typer.Option("--format", help=N_("text, json or markdown."))] = DiffFormat.text,
    ui_lang: UiLang = None,
) -> None:
    # Help text: see the decorator (translated when shown).
    from directory_builder.lifecycle.diff import diff_workbooks, format_diff

    try:
        result = diff_workbooks(old, new)
        text = format_diff(result, format.value)
    except typer.Exit:
        raise
    except Exception as exc:
        _fail(exc, inputs=(old, new))
    for warning in result.warnings:
        _err(warning)
    _out(text)


class CoverageFormat(StrEnum):
    text = "text"
    json = "json"
    html = "html"


@app.command(cls=_Command, help=N_(
    "Coverage (which districts lack which services) and stale entries to re-check. For staff only.\n\n"
    "Example: directory-builder report my-directory.xlsx --format html --out report.html"
))
def report(
    workbook: Annotated[Path, typer.Argument(help=N_("The filled workbook (.xlsx)."))],
    format: Annotated[CoverageFormat, typer.Option("--format", help=N_("text, json or html."))] = CoverageFormat.text,
    out: Annotated[Path | None, typer.Option("--out", help=N_("Write the report to this file instead of the screen."))] = None,
    ui_lang: UiLang = None,
) -> None:
    # Help text: see the decorator (translated when shown).
    from directory_builder.lifecycle.report import make_report, render_report

    try:
        if out is not None:
            from directory_builder.util.oserrors import check_output_file

            check_output_file(out)  # a folder, a device such as /dev/full, a file on the way, a link loop
        if out is not None and out.resolve() == workbook.resolve():
            raise InputError(_("The report cannot replace the workbook itself ('{path}'). Give another file "
                               "name, for example 'report.html'.").format(path=out))
        rep = make_report(workbook)
        data = render_report(rep, format.value)
        if out is not None:
            from directory_builder.util.storage import write_bytes

            write_bytes(out, data.encode("utf-8"), private=True)  # for staff only: focal points, phones
    except typer.Exit:
        raise
    except Exception as exc:
        _fail(exc, outputs=(out,), inputs=(workbook,))
    if out is None:
        _out(data)
    else:
        _err(_("Report written to {path}.").format(path=out))


# ------------------------------------------------------------------------------------------- serve


@app.command(cls=_Command, help=N_(
    "Open the staff web page in your browser: check a workbook, preview, build and download, all on this "
    "computer. Stop it with Ctrl-C or the Stop button.\n\n"
    "Example: directory-builder serve"
))
def serve(
    no_browser: Annotated[bool, typer.Option("--no-browser", help=N_("Do not open the browser; only print the address."))] = False,
    ui_lang: UiLang = None,
) -> None:
    # Help text: see the decorator (translated when shown).
    try:
        from directory_builder.serve.app import run_server
    except ImportError as exc:
        _fail(InputError(_("The staff web page needs the package '{name}', which is not installed. Install "
                           "directory-builder again (pipx install directory-builder) and retry.").format(
            name=exc.name or "starlette")))

    def announce(address: str) -> None:
        _err(_("The staff page is at {address} (only on this computer). Press Ctrl-C here to stop it.").format(
            address=address))

    with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C is how it is meant to stop
        run_server(current_language(), open_browser=not no_browser, announce=announce)
    _err(_("Stopped. The temporary files were deleted."))


# --------------------------------------------------------------------------------------- translations

translations_app = typer.Typer(
    name="translations", cls=_Group, no_args_is_help=True, add_completion=False, rich_markup_mode=None,
    help=N_("Review the tool's fixed texts of one language in a spreadsheet.\n\n"
            "Example: directory-builder translations export --lang th review.xlsx"))
app.add_typer(translations_app)

TemplateDirs = Annotated[list[Path] | None, typer.Option("--template-dir", help=N_(
    "A folder made by 'translations import --into': its texts are read instead of the built-in ones."))]


@translations_app.command("export", cls=_Command, help=N_(
    "Write every fixed text of one language (messages, labels, first pages) to a spreadsheet to review.\n\n"
    "Example: directory-builder translations export --lang th review.xlsx"
))
def translations_export(
    out: Annotated[Path, typer.Argument(help=N_("The spreadsheet to write, e.g. review.xlsx."))],
    lang: Annotated[str, typer.Option("--lang", help=N_("The language to review: id, ms, vi, th."))],
    template_dir: TemplateDirs = None,
    ui_lang: UiLang = None,
) -> None:
    # Help text: see the decorator (translated when shown).
    from directory_builder.i18n import language_name
    from directory_builder.translations.drafts import draft_count
    from directory_builder.translations.sheet import review_workbook_bytes
    from directory_builder.util.storage import write_bytes

    try:
        from directory_builder.util.oserrors import check_output_file

        check_output_file(out)
        from directory_builder.translations.entries import LANGUAGE_CODE

        if lang not in SHIPPED_LANGUAGES[1:] and not (LANGUAGE_CODE.match(lang) and any(
                (d / "locales" / lang).is_dir() for d in template_dir or ())):
            raise InputError(_("'{lang}' is not a language with texts to review. Choose one of: {known}.").format(
                lang=lang, known=", ".join(SHIPPED_LANGUAGES[1:])))
        write_bytes(out, review_workbook_bytes(lang, tuple(template_dir or ())))
        drafts = draft_count(lang, tuple(template_dir or ()))
    except typer.Exit:
        raise
    except Exception as exc:
        _fail(exc, outputs=(out,), inputs=tuple(template_dir or ()))
    _err(_("Written to {path}: {count} texts are drafts. Send it to a translator who reads {language}.").format(
        path=out, count=drafts, language=language_name(lang)))


@translations_app.command("import", cls=_Command, help=N_(
    "Check a reviewed spreadsheet, then write its texts: into a folder for --template-dir (--into), or into "
    "the tool's own catalogs.\n\n"
    "Example: directory-builder translations import review.xlsx --into my-templates"
))
def translations_import(
    review: Annotated[Path, typer.Argument(help=N_("The spreadsheet made by 'translations export'."))],
    into: Annotated[Path | None, typer.Option("--into", help=N_(
        "Write into this folder (use it with build --template-dir). Without it, the tool's own texts are changed."))] = None,
    template_dir: TemplateDirs = None,
    ui_lang: UiLang = None,
) -> None:
    # Help text: see the decorator (translated when shown).
    from directory_builder.translations.importer import read_review, write_review

    try:
        if not review.is_file():
            raise InputError(_("The file '{path}' does not exist. Check the name and the folder.").format(path=review))
        checked = read_review(review, (*([into] if into else []), *(template_dir or ())))
        for problem in sorted(checked.problems, key=lambda p: p.severity != "error"):
            _err(problem.line())
        if checked.errors:
            _err(_("Nothing was written: the spreadsheet has {count} errors. Fix them and import it again.").format(
                count=len(checked.errors)))
            raise typer.Exit(1)
        written = write_review(checked, into=into, template_dirs=tuple(template_dir or ()))
    except typer.Exit:
        raise
    except Exception as exc:
        _fail(exc, outputs=(into,), inputs=(review, *(template_dir or ())))
    _err(_("Written {catalog} and {front}: {reviewed} texts reviewed, {drafts} drafts.").format(
        catalog=written.catalog, front=written.front_matter, reviewed=written.reviewed, drafts=written.drafts))


def run() -> None:
    """The ``directory-builder`` command: ``main()``, then a quick exit.

    A national build or check leaves some 600,000 objects alive; letting the interpreter free them one by
    one at exit takes a quarter of a second, for nothing: the process is ending. Output is flushed,
    logging shut down and the worker pool closed (by the build) before ``os._exit``. Tests and programs
    that call ``main()`` keep the normal exit.
    """
    code: int | str | None = 0
    try:
        main()
    except SystemExit as exc:
        code = exc.code
    import logging

    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe ("| head"): nothing more to say
            stream.flush()
    if isinstance(code, str):
        os.write(2, (code + "\n").encode("utf-8", "replace"))
        code = 1
    os._exit(code or 0)


def _quiet_unraisable(unraisable: Any) -> None:
    """An error Python can only report while it cleans up (a half-written file's writer, closed after the disk
    filled) prints "Exception ignored in ..." and a traceback after our own plain message: noise to staff,
    kept for ``--debug``."""
    if _state["debug"]:
        sys.__unraisablehook__(unraisable)


def main() -> None:
    """Console entry point: usage errors exit 2 (click), everything else per the spec."""
    from directory_builder.util.console import never_fail_on_letters

    never_fail_on_letters()  # a cp1252 console shows '?' for Thai letters instead of a traceback
    sys.unraisablehook = _quiet_unraisable
    set_language(ui_language(None))  # until the command line is read (see _Group.parse_args)
    from directory_builder.build.guard import sigterm_as_interrupt

    try:
        with sigterm_as_interrupt():  # `kill` or a service manager stops a command as Ctrl-C does
            app()
    except KeyboardInterrupt:
        _err(_("Stopped."))
        sys.exit(130)
