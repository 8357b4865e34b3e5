"""The private temporary folder of one ``serve`` run and the ids that name what is in it.

The browser never sends a path: every upload, build and preview is named by a random id made here and
looked up in memory; an unknown id is simply "not found". Everything lives in one folder made with mode
0700 and removed when the server stops.
"""

from __future__ import annotations

import secrets
import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from directory_builder.util.storage import write_bytes


def new_id() -> str:
    """An id the browser cannot guess (and which is never a file name it chose)."""
    return secrets.token_urlsafe(16)


@dataclass
class Upload:
    """One workbook a person gave the page, and what the check found in it."""

    id: str
    name: str  # the file name the browser sent, shown only (never used as a path)
    path: Path
    result: Any  # check.validate.ValidationResult


@dataclass
class Job:
    """Background work (a build or a preview) on one upload; its progress is read by the page."""

    id: str
    upload_id: str
    kind: str  # "build" or "preview"
    folder: Path
    edition: str = "public"
    done: int = 0
    total: int = 0
    label: str = ""
    finished: bool = False
    error: str | None = None
    result: Any = None
    extra: dict[str, Any] = field(default_factory=dict)


class Workspace:
    """Uploads and jobs of this run, each in its own sub-folder named by its id."""

    def __init__(self, parent: Path | None = None) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="directory-builder-serve-", dir=parent))  # mode 0700
        self.uploads: dict[str, Upload] = {}
        self.jobs: dict[str, Job] = {}
        self._lock = threading.Lock()

    def save_upload(self, name: str, data: bytes) -> Upload:
        """Keep the bytes under a fresh id (the file inside is always ``workbook.xlsx``)."""
        upload_id = new_id()
        path = self.root / "uploads" / upload_id / "workbook.xlsx"
        write_bytes(path, data, private=True)
        upload = Upload(upload_id, name, path, None)
        with self._lock:
            self.uploads[upload_id] = upload
        return upload

    def new_job(self, upload_id: str, kind: str, edition: str = "public") -> Job:
        job_id = new_id()
        job = Job(job_id, upload_id, kind, self.root / "jobs" / job_id, edition=edition)
        with self._lock:
            self.jobs[job_id] = job
        return job

    def upload(self, upload_id: str) -> Upload | None:
        return self.uploads.get(upload_id)

    def job(self, job_id: str) -> Job | None:
        return self.jobs.get(job_id)

    def remove(self) -> None:
        """Delete everything this run kept (called when the server stops)."""
        shutil.rmtree(self.root, ignore_errors=True)
