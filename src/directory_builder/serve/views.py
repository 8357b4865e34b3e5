"""The screens of the staff page: start, a checked workbook, a preview, a build, a comparison, stop.

Every handler names things by the random ids of ``workspace.py``; nothing the browser sends is ever
joined to a path. Each handler is a few lines around one library call.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import groupby
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from directory_builder.i18n import SHIPPED_LANGUAGES, _, use_language
from directory_builder.outputs import build_formats
from directory_builder.serve import jobs
from directory_builder.serve.pages import render, static_file
from directory_builder.serve.workspace import Job, Upload, Workspace
from directory_builder.workbook.limits import MAX_FILE_BYTES

LANG_COOKIE = "directory_builder_ui_lang"
PAPERS = ("a5", "a4", "letter")
EDITIONS = ("public", "practitioners")
#: Victim-facing pages and the staff report are shown in a sandbox: no script runs, no form posts.
SANDBOX_CSP = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'"


class Views:
    """The handlers, sharing one workspace, the staff's starting language and the stop callback."""

    def __init__(self, workspace: Workspace, language: str, stop: Callable[[], None]) -> None:
        self.workspace = workspace
        self.language = language
        self.stop_server = stop

    # ------------------------------------------------------------------ helpers

    def lang(self, request: Request) -> str:
        chosen = request.cookies.get(LANG_COOKIE)
        return chosen if chosen in SHIPPED_LANGUAGES else self.language

    def page(self, request: Request, name: str, status: int = 200, **context: Any) -> Response:
        html = render(name, self.lang(request), path=request.url.path, **context)
        return Response(html, status_code=status, media_type="text/html; charset=utf-8")

    def not_found(self, request: Request) -> Response:
        return self.page(request, "message.html", 404, title=_("Not found"),
                         text=_("This page no longer exists: the server was restarted or the link is old. Go back "
                                "to the start and open the workbook again."))

    def _upload(self, request: Request) -> Upload | None:
        return self.workspace.upload(request.path_params["upload"])

    def _job(self, request: Request, kind: str) -> Job | None:
        job = self.workspace.job(request.path_params["job"])
        return job if job is not None and job.kind == kind else None

    # ------------------------------------------------------------------ start, language, template

    async def home(self, request: Request) -> Response:
        wanted = request.query_params.get("lang")
        if wanted in SHIPPED_LANGUAGES:
            response = RedirectResponse("/", status_code=303)
            response.set_cookie(LANG_COOKIE, wanted, httponly=True, samesite="strict")
            return response
        uploads = list(self.workspace.uploads.values())
        return self.page(request, "home.html", uploads=uploads, max_mb=MAX_FILE_BYTES // (1024 * 1024))

    async def blank_template(self, request: Request) -> Response:
        from directory_builder.util.templates_path import BLANK_WORKBOOKS

        code = request.path_params["lang"]
        if code not in SHIPPED_LANGUAGES:
            return self.not_found(request)
        data = (BLANK_WORKBOOKS / f"directory-template-{code}.xlsx").read_bytes()
        return _download(data, f"directory-template-{code}.xlsx", XLSX)

    async def static(self, request: Request) -> Response:
        name = request.path_params["name"]
        types = {"serve.css": "text/css", "serve.js": "text/javascript"}
        if name == "thai.ttf":  # Thai text where the system has no Thai font (loaded only for Thai letters)
            from directory_builder.render.fonts import source_fonts

            return Response(source_fonts()["thai"].read_bytes(), media_type="font/ttf")
        if name not in types:
            return self.not_found(request)
        return Response(static_file(name), media_type=types[name])

    async def stop(self, request: Request) -> Response:
        self.stop_server()
        return self.page(request, "message.html", title=_("Stopped"),
                         text=_("The page is stopped and the uploaded workbooks and built files were deleted from "
                                "the temporary folder. You can close this tab."))

    # ------------------------------------------------------------------ upload and problems

    async def upload(self, request: Request) -> Response:
        too_big = self.page(request, "message.html", 413, title=_("The file is too big"),
                            text=_("The file is larger than {size} MB, the most directory-builder reads. Remove "
                                   "pictures or unused sheets from the workbook and try again.").format(
                                size=MAX_FILE_BYTES // (1024 * 1024)))
        if int(request.headers.get("content-length") or 0) > MAX_FILE_BYTES + 64 * 1024:
            return too_big
        async with request.form(max_files=1, max_fields=10, max_part_size=MAX_FILE_BYTES) as form:
            given = form.get("workbook")
            if given is None or isinstance(given, str) or not given.filename:
                return self.page(request, "message.html", 400, title=_("No file"),
                                 text=_("Choose an Excel workbook (.xlsx) first, then press Check."))
            data = await given.read(MAX_FILE_BYTES + 1)
            name = given.filename
        if len(data) > MAX_FILE_BYTES:
            return too_big
        upload = self.workspace.save_upload(name, data)
        upload.result = await run_in_threadpool(self._check, upload, self.lang(request))
        return RedirectResponse(f"/u/{upload.id}", status_code=303)

    @staticmethod
    def _check(upload: Upload, lang: str) -> Any:
        from directory_builder.check.validate import validate_workbook

        with use_language(lang):
            try:
                return validate_workbook(upload.path)
            except Exception as exc:  # unreadable file: one sentence on the page
                return jobs.error_sentence(exc, inputs=(upload.path,),
                                           unexpected=_("The file could not be read ({reason})."))

    async def workbook(self, request: Request) -> Response:
        upload = self._upload(request)
        if upload is None:
            return self.not_found(request)
        result = upload.result
        if isinstance(result, str):
            return self.page(request, "workbook.html", upload=upload, unreadable=result)
        lang = self.lang(request)
        directory = result.directory
        return self.page(
            request, "workbook.html", upload=upload, unreadable=None,
            errors=_grouped([p for p in result.problems if p.severity == "error"], lang),
            warnings=_grouped([p for p in result.problems if p.severity == "warning"], lang),
            error_count=len(result.errors), warning_count=len(result.warnings),
            districts=[d.name for d in directory.districts] if directory else [],
            languages=list(directory.settings.languages) if directory else [],
            services=len(directory.services) if directory else 0,
            formats=build_formats(), papers=PAPERS, editions=EDITIONS,
            others=[u for u in self.workspace.uploads.values() if u.id != upload.id],
        )

    async def annotated(self, request: Request) -> Response:
        upload = self._upload(request)
        if upload is None or isinstance(upload.result, str) or upload.result is None:
            return self.not_found(request)
        from directory_builder.workbook.annotate import annotate_workbook

        target = upload.path.with_name(f"annotated-{self.lang(request)}.xlsx")
        await run_in_threadpool(annotate_workbook, upload.path, upload.result.problems, target, self.lang(request))
        stem = upload.name.rsplit(".", 1)[0] or "workbook"
        return _download(target.read_bytes(), f"{stem}-checked.xlsx", XLSX)

    async def report(self, request: Request) -> Response:
        upload = self._upload(request)
        if upload is None or isinstance(upload.result, str):
            return self.not_found(request)
        from directory_builder.lifecycle.report import make_report, render_report

        def staff_report() -> str:
            with use_language(self.lang(request)):
                return render_report(make_report(upload.path), "html")

        html = await run_in_threadpool(staff_report)
        return Response(html, media_type="text/html; charset=utf-8", headers={"content-security-policy": SANDBOX_CSP})

    async def compare(self, request: Request) -> Response:
        old = self.workspace.upload(request.query_params.get("old", ""))
        new = self.workspace.upload(request.query_params.get("new", ""))
        if old is None or new is None:
            return self.not_found(request)
        from directory_builder.lifecycle.diff import diff_workbooks, format_diff

        def changes() -> tuple[str, list[str]]:
            with use_language(self.lang(request)):
                result = diff_workbooks(old.path, new.path)
                return format_diff(result, "text"), list(result.warnings)

        try:
            text, warnings = await run_in_threadpool(changes)
        except Exception as exc:
            text, warnings = "", [jobs.error_sentence(exc, inputs=(old.path, new.path))]
        return self.page(request, "compare.html", old=old, new=new, text=text, warnings=warnings)

    # ------------------------------------------------------------------ preview

    async def start_preview(self, request: Request) -> Response:
        upload = self._upload(request)
        if upload is None or isinstance(upload.result, str) or upload.result.directory is None:
            return self.not_found(request)
        form = await request.form()
        directory = upload.result.directory
        district = str(form.get("district", ""))
        lang = str(form.get("language", ""))
        paper = str(form.get("paper", "a5"))
        if district not in {d.name for d in directory.districts} or lang not in directory.settings.languages \
                or paper not in PAPERS:
            return self.not_found(request)
        job = self.workspace.new_job(upload.id, "preview")
        job.extra["district"] = district
        jobs.start(job, jobs.preview_work(upload, district, lang, paper), self.lang(request))
        return RedirectResponse(f"/p/{job.id}", status_code=303)

    async def preview(self, request: Request) -> Response:
        job = self._job(request, "preview")
        if job is None:
            return self.not_found(request)
        return self.page(request, "preview.html", job=job, upload=self.workspace.upload(job.upload_id),
                         pages=len(job.extra.get("pages", [])))

    async def preview_page(self, request: Request) -> Response:
        job = self._job(request, "preview")
        if job is None or "html" not in job.extra:
            return self.not_found(request)
        return Response(job.extra["html"], media_type="text/html; charset=utf-8",
                        headers={"content-security-policy": SANDBOX_CSP})

    async def preview_image(self, request: Request) -> Response:
        job = self._job(request, "preview")
        number = request.path_params["n"]
        pages = job.extra.get("pages", []) if job else []
        if not 1 <= number <= len(pages):
            return self.not_found(request)
        return Response(pages[number - 1], media_type="image/png")

    # ------------------------------------------------------------------ build and downloads

    async def start_build(self, request: Request) -> Response:
        upload = self._upload(request)
        if upload is None or isinstance(upload.result, str) or upload.result.directory is None:
            return self.not_found(request)
        form = await request.form()
        directory = upload.result.directory
        known_districts = {d.name for d in directory.districts}
        edition = str(form.get("edition", "public"))
        paper = str(form.get("paper", "a5"))
        formats = tuple(f for f in form.getlist("format") if f in build_formats()) or build_formats()
        languages = tuple(code for code in form.getlist("language") if code in directory.settings.languages)
        districts = tuple(name for name in form.getlist("district") if name in known_districts)
        if edition not in EDITIONS or paper not in PAPERS:
            return self.not_found(request)
        job = self.workspace.new_job(upload.id, "build", edition)
        options = {"formats": formats, "languages": languages or None, "districts": districts or None,
                   "paper": paper, "edition": edition}
        jobs.start(job, jobs.build_work(upload, options), self.lang(request))
        return RedirectResponse(f"/b/{job.id}", status_code=303)

    async def build(self, request: Request) -> Response:
        job = self._job(request, "build")
        if job is None:
            return self.not_found(request)
        result = job.result
        districts = sorted({e["district"] for e in result.files if e.get("district")}) if result and result.built \
            else []
        return self.page(request, "build.html", job=job, upload=self.workspace.upload(job.upload_id),
                         districts=list(enumerate(districts)), built=bool(result and result.built),
                         error_count=len(result.validation.errors) if result else 0)

    async def build_status(self, request: Request) -> Response:
        job = self._job(request, "build")
        if job is None:
            return JSONResponse({"error": "not found"}, status_code=404)
        return JSONResponse({"done": job.done, "total": job.total, "label": job.label, "finished": job.finished})

    async def download_all(self, request: Request) -> Response:
        job = self._job(request, "build")
        if job is None or not job.finished:
            return self.not_found(request)
        data = await run_in_threadpool(jobs.zip_bytes, job.folder, jobs.built_files(job))
        return _download(data, f"directory-{job.edition}.zip", "application/zip")

    async def download_district(self, request: Request) -> Response:
        job = self._job(request, "build")
        if job is None or not job.finished or job.result is None:
            return self.not_found(request)
        names = sorted({e["district"] for e in job.result.files if e.get("district")})
        number = request.path_params["n"]
        if not 0 <= number < len(names):
            return self.not_found(request)
        from directory_builder.util.slug import slugify

        data = await run_in_threadpool(jobs.zip_bytes, job.folder, jobs.built_files(job, names[number]))
        return _download(data, f"{slugify(names[number]) or 'district'}-{job.edition}.zip", "application/zip")


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(data: bytes, name: str, media_type: str) -> Response:
    """A file the browser saves; ``name`` is made here (ASCII, no path), never taken from the request."""
    safe = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_.") else "-" for ch in name)
    return Response(data, media_type=media_type, headers={"content-disposition": f'attachment; filename="{safe}"'})


def _grouped(problems: list[Any], lang: str) -> list[tuple[str, list[dict[str, str]]]]:
    """Problems by sheet, in the order of the sheets; each with its cell, message and hint."""
    from directory_builder.check.problems import sort_problems

    ordered = sort_problems(problems)
    return [(sheet or "", [{"where": p.cell or (str(p.row) if p.row else ""), "ref": p.where,
                            "message": p.message(lang), "hint": p.hint(lang)} for p in items])
            for sheet, items in groupby(ordered, key=lambda p: p.sheet)]
