"""Work the page starts in the background: builds and previews, each in its own thread and folder.

Every job calls the library (``build_directory``), never the command line. A job's folder is named by its
id, so two builds, or two tabs, never write into the same place. Progress is kept on the ``Job`` and read
by the page (polling).
"""

from __future__ import annotations

import io
import threading
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from directory_builder.i18n import _, use_language
from directory_builder.serve.workspace import Job, Upload

#: Booklet pages shown as images before building.
PREVIEW_PAGES = 2
#: Zip entries get a fixed date: the same build gives the same zip.
_ZIP_DATE = (2020, 1, 1, 0, 0, 0)


def error_sentence(exc: BaseException, *, outputs: Iterable[Path] = (), inputs: Iterable[Path] = (),
                   unexpected: str | None = None) -> str:
    """One sentence for the page, as the command line says it (``cli._fail``): the error's own for bad
    input, a plain one for a file-system failure (no errno, no private temporary path), and "unexpected
    problem" for the rest."""
    from directory_builder.util.errors import InputError
    from directory_builder.util.oserrors import user_path_error

    if isinstance(exc, OSError) and not isinstance(exc, InputError):
        exc = user_path_error(exc, outputs, inputs) or exc
    if isinstance(exc, InputError):
        return str(exc)
    return (unexpected or _("directory-builder stopped because of an unexpected problem ({reason}).")).format(
        reason=type(exc).__name__)


def start(job: Job, work: Any, lang: str) -> threading.Thread:
    """Run ``work(job)`` in a daemon thread in the staff's language; any failure becomes ``job.error``."""

    def run() -> None:
        with use_language(lang):
            try:
                work(job)
            except Exception as exc:  # shown on the page as one sentence, never a traceback
                job.error = error_sentence(exc, outputs=(job.folder,))
            finally:
                job.finished = True

    thread = threading.Thread(target=run, name=f"serve-{job.kind}", daemon=True)
    thread.start()
    return thread


def build_work(upload: Upload, options: dict[str, Any]) -> Any:
    """The build of ``upload`` into the job's own folder with the options chosen on the page."""
    from directory_builder.build.runner import BuildOptions, build_directory

    def work(job: Job) -> None:
        def progress(done: int, total: int, label: str) -> None:
            job.done, job.total, job.label = done, total, label

        job.result = build_directory(upload.path, BuildOptions(out=job.folder, **options), progress=progress)

    return work


def preview_work(upload: Upload, district: str, lang: str, paper: str) -> Any:
    """One district's web page and booklet, built alone, and the booklet's first pages as PNG images."""
    from directory_builder.build.runner import BuildOptions, build_directory

    def work(job: Job) -> None:
        options = BuildOptions(out=job.folder, formats=("pdf", "html"), languages=(lang,), districts=(district,),
                               paper=paper, pocket_card=False, jobs=1)  # type: ignore[arg-type]
        result = build_directory(upload.path, options)
        job.result = result
        files = {entry.get("kind"): entry["path"] for entry in result.files}
        if "html" in files:
            job.extra["html"] = (job.folder / files["html"]).read_bytes()
        if "pdf" in files:
            job.extra["pages"] = pdf_pages_as_png(job.folder / files["pdf"], PREVIEW_PAGES)

    return work


def pdf_pages_as_png(pdf: Path, count: int, scale: float = 1.0) -> list[bytes]:
    """The first ``count`` pages of ``pdf`` drawn by PDFium (pypdfium2), as PNG bytes."""
    import pypdfium2

    document = pypdfium2.PdfDocument(str(pdf))
    try:
        images = []
        for index in range(min(count, len(document))):
            buffer = io.BytesIO()
            document[index].render(scale=scale).to_pil().save(buffer, format="PNG", optimize=True)
            images.append(buffer.getvalue())
        return images
    finally:
        document.close()


def built_files(job: Job, district: str | None = None) -> list[str]:
    """The files a finished build made (paths relative to its folder), all or one district's."""
    result = job.result
    if result is None or not getattr(result, "built", False):
        return []
    return sorted(entry["path"] for entry in result.files
                  if district is None or entry.get("district") == district)


def zip_bytes(folder: Path, paths: Iterable[str]) -> bytes:
    """A zip of ``paths`` (relative to ``folder``), reproducible: fixed dates, sorted names."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for rel in sorted(paths):
            info = zipfile.ZipInfo(rel, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            archive.writestr(info, (folder / rel).read_bytes())
    return buffer.getvalue()
