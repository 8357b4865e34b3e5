"""The staff web page's rules, driven through Starlette's TestClient (no browser, no network).

The security rules (Host, token, cookie, Origin), the upload limit, ids that never become paths, and two
uploads or builds that never mix. The real-browser walk is in tests/browser/test_browser_serve.py.
"""

from __future__ import annotations

import io
import stat
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient
from tests.workbook_factory import make_workbook, service

from directory_builder.serve import views
from directory_builder.serve.app import create_app
from directory_builder.serve.security import COOKIE, Guard
from directory_builder.serve.workspace import Workspace

PORT = 8765
BASE = f"http://127.0.0.1:{PORT}"
ORIGIN = {"origin": BASE}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    space = Workspace(tmp_path)
    yield space
    space.remove()


@pytest.fixture
def guard() -> Guard:
    return Guard(PORT, token="the-key")


@pytest.fixture
def client(workspace: Workspace, guard: Guard) -> Iterator[TestClient]:
    """A browser that opened the printed address: it holds the session cookie."""
    with TestClient(create_app(workspace, guard, "en"), base_url=BASE, follow_redirects=False) as c:
        opened = c.get("/?token=the-key")
        assert opened.status_code == 303 and opened.headers["location"] == "/"
        yield c


@pytest.fixture(scope="module")
def small_workbook(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    path = make_workbook(tmp_path_factory.mktemp("wb") / "small.xlsx",
                         [service(service_name="Rumah Aman", confidential="yes", address="Jl. Rahasia 9"),
                          service(service_name="Legal aid", categories="legal", district="Kabupaten Cianjur")])
    return path.read_bytes()


@pytest.fixture(scope="module")
def broken_workbook(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    path = make_workbook(tmp_path_factory.mktemp("wb") / "broken.xlsx",
                         [service(phone="not a phone", district="Nowhere")])
    return path.read_bytes()


def upload(client: TestClient, data: bytes, name: str = "mine.xlsx") -> str:
    answer = client.post("/upload", files={"workbook": (name, data, XLSX)}, headers=ORIGIN)
    assert answer.status_code == 303, answer.text
    return answer.headers["location"].rsplit("/", 1)[1]


def wait_for(client: TestClient, status_url: str) -> None:
    for _attempt in range(600):
        if client.get(status_url).json()["finished"]:
            return
        time.sleep(0.1)
    raise AssertionError("the build did not finish")


# ------------------------------------------------------------------ who may ask


def test_the_opening_key_becomes_an_httponly_strict_cookie(workspace: Workspace, guard: Guard) -> None:
    with TestClient(create_app(workspace, guard, "en"), base_url=BASE, follow_redirects=False) as c:
        answer = c.get("/?token=the-key")
    cookie = answer.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}=") and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert "the-key" not in cookie and answer.headers["location"] == "/"


@pytest.mark.parametrize("url", ["/", "/?token=wrong", "/template/en.xlsx", "/static/serve.css"])
def test_without_the_key_nothing_is_answered(workspace: Workspace, guard: Guard, url: str) -> None:
    with TestClient(create_app(workspace, guard, "en"), base_url=BASE) as c:
        answer = c.get(url)
    assert answer.status_code == 403
    assert "printed" in answer.text and "PK" not in answer.text


@pytest.mark.parametrize("host", ["evil.example:8765", "127.0.0.1:9999", "localhost", "0.0.0.0:8765"])
def test_another_host_name_is_refused_even_with_the_cookie(client: TestClient, host: str) -> None:
    answer = client.get("/", headers={"host": host})
    assert answer.status_code == 403 and "own address" in answer.text


def test_localhost_is_this_server_too(client: TestClient) -> None:
    assert client.get("/", headers={"host": f"localhost:{PORT}"}).status_code == 200


@pytest.mark.parametrize("headers", [{}, {"origin": "http://evil.example"}, {"origin": "null"},
                                     {"origin": BASE, "sec-fetch-site": "cross-site"}])
def test_a_post_from_elsewhere_is_refused(client: TestClient, small_workbook: bytes, headers: dict[str, str],
                                          workspace: Workspace) -> None:
    answer = client.post("/upload", files={"workbook": ("x.xlsx", small_workbook, XLSX)}, headers=headers)
    assert answer.status_code == 403 and "did not come from" in answer.text
    assert workspace.uploads == {}
    assert client.post("/stop", headers=headers).status_code == 403


def test_every_answer_forbids_framing_caching_and_outside_loads(client: TestClient) -> None:
    for answer in (client.get("/"), client.get("/static/serve.css"), client.get("/template/id.xlsx"),
                   client.get("/nothing-here")):
        csp = answer.headers["content-security-policy"]
        assert "default-src 'none'" in csp and "frame-ancestors 'self'" in csp
        assert answer.headers["cache-control"] == "no-store"
        assert answer.headers["x-frame-options"] == "SAMEORIGIN"
        assert "http" not in csp  # no outside address is allowed


def test_the_pages_load_nothing_from_outside(client: TestClient) -> None:
    page = client.get("/").text
    for attribute in ('src="http', 'href="http', "//"):
        assert attribute not in page.replace("http://", "") or attribute == "//"
    assert 'src="/static/serve.js"' in page and 'href="/static/serve.css"' in page


# ------------------------------------------------------------------ files


@pytest.mark.parametrize("lang", ["en", "id", "ms", "th", "vi"])
def test_the_blank_template_in_each_language(client: TestClient, lang: str) -> None:
    answer = client.get(f"/template/{lang}.xlsx")
    assert answer.status_code == 200 and answer.content[:2] == b"PK"
    assert f'filename="directory-template-{lang}.xlsx"' in answer.headers["content-disposition"]


@pytest.mark.parametrize("url", ["/template/..%2F..%2Fpyproject.xlsx", "/static/..%2Fhtml%2Fstyle.css",
                                 "/static/home.html", "/u/..%2F..%2Fetc%2Fpasswd", "/u/%2Fetc%2Fpasswd/checked.xlsx",
                                 "/b/..%2Fuploads/all.zip", "/p/x/page-1.png", "/b/x/district-0.zip"])
def test_no_path_from_the_browser_reaches_the_file_system(client: TestClient, url: str) -> None:
    answer = client.get(url)
    assert answer.status_code == 404
    assert b"[project]" not in answer.content and b"root:" not in answer.content


def test_an_upload_over_the_limit_is_refused_in_plain_words(client: TestClient, monkeypatch: pytest.MonkeyPatch,
                                                             workspace: Workspace) -> None:
    monkeypatch.setattr(views, "MAX_FILE_BYTES", 1024 * 1024)
    answer = client.post("/upload", files={"workbook": ("big.xlsx", b"x" * (1024 * 1024 + 1), XLSX)}, headers=ORIGIN)
    assert answer.status_code == 413 and "larger than 1 MB" in answer.text
    assert workspace.uploads == {}


def test_uploads_live_in_a_private_folder_removed_at_the_end(client: TestClient, workspace: Workspace,
                                                               small_workbook: bytes) -> None:
    upload_id = upload(client, small_workbook, name="../../etc/passwd.xlsx")
    kept = workspace.upload(upload_id)
    assert kept is not None and kept.path.parent.parent.parent == workspace.root
    assert kept.path.name == "workbook.xlsx"  # the browser's file name never becomes a path
    assert stat.S_IMODE(workspace.root.stat().st_mode) == 0o700
    assert stat.S_IMODE(kept.path.stat().st_mode) == 0o600
    workspace.remove()
    assert not workspace.root.exists()


# ------------------------------------------------------------------ problems, build, zip


def test_problems_errors_first_with_cell_message_and_hint(client: TestClient, broken_workbook: bytes) -> None:
    upload_id = upload(client, broken_workbook)
    page = client.get(f"/u/{upload_id}").text
    assert "Services!" in page and "errors and" in page
    assert page.index("<h3>Errors</h3>") < page.index("<h3>Warnings</h3>")
    assert "not a valid phone number" in page and "<td class=\"cell\">Services!H3</td>" in page
    assert 'action="/u/' + upload_id + '/build"' not in page  # nothing to build with errors
    copy = client.get(f"/u/{upload_id}/checked.xlsx")
    assert copy.status_code == 200 and copy.content[:2] == b"PK"
    names = zipfile.ZipFile(io.BytesIO(copy.content)).namelist()
    assert any("comments" in name for name in names)  # the problem cells carry notes


def test_build_and_zip_hold_the_built_files_and_no_secret(client: TestClient, small_workbook: bytes) -> None:
    upload_id = upload(client, small_workbook)
    started = client.post(f"/u/{upload_id}/build", data={"format": "html", "language": "en", "edition": "public",
                                                          "paper": "a5"}, headers=ORIGIN)
    job = started.headers["location"].rsplit("/", 1)[1]
    wait_for(client, f"/b/{job}/status.json")
    page = client.get(f"/b/{job}").text
    assert "all.zip" in page and "Practitioner edition" not in page, page.split("<main", 1)[1]
    archive = zipfile.ZipFile(io.BytesIO(client.get(f"/b/{job}/all.zip").content))
    names = archive.namelist()
    assert "index.html" in names and "en/jakarta-pusat.html" in names and not any(n.endswith(".pdf") for n in names)
    for name in names:
        assert b"Jl. Rahasia 9" not in archive.read(name)
    again = zipfile.ZipFile(io.BytesIO(client.get(f"/b/{job}/all.zip").content))
    assert [i.date_time for i in again.infolist()] == [i.date_time for i in archive.infolist()]
    one = zipfile.ZipFile(io.BytesIO(client.get(f"/b/{job}/district-1.zip").content)).namelist()
    assert one == ["en/kabupaten-cianjur.html"] or one == ["en/jakarta-pusat.html"]


def test_two_uploads_and_two_builds_never_mix(client: TestClient, small_workbook: bytes,
                                               broken_workbook: bytes, workspace: Workspace) -> None:
    first, second = upload(client, small_workbook, "first.xlsx"), upload(client, broken_workbook, "second.xlsx")
    assert first != second
    assert "second.xlsx" not in client.get(f"/u/{first}").text.split("<main", 1)[1].split("For staff")[0]
    builds = []
    for edition in ("public", "practitioners"):
        started = client.post(f"/u/{first}/build", data={"format": "html", "edition": edition}, headers=ORIGIN)
        builds.append(started.headers["location"].rsplit("/", 1)[1])
    for job in builds:
        wait_for(client, f"/b/{job}/status.json")
    public, practitioners = (workspace.job(j) for j in builds)
    assert public is not None and practitioners is not None and public.folder != practitioners.folder
    assert client.get(f"/b/{builds[0]}/all.zip").headers["content-disposition"].endswith('directory-public.zip"')
    marked = client.get(f"/b/{builds[1]}")
    assert "Practitioner edition" in marked.text
    assert marked.text.count("all.zip") == 1


def test_the_language_switch_changes_the_page(client: TestClient) -> None:
    switched = client.get("/?lang=id")
    assert switched.status_code == 303
    assert 'lang="id"' in client.get("/").text.split(">", 2)[1]


def test_the_other_commands_import_none_of_the_server() -> None:
    import subprocess
    import sys

    code = ("import sys, directory_builder.cli, directory_builder.build.runner; "
            "print(sorted(m for m in ('starlette', 'uvicorn', 'multipart', 'python_multipart', "
            "'directory_builder.serve') if m in sys.modules))")
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert shown.stdout.strip() == "[]"


def test_the_staff_report_is_sandboxed_and_two_editions_are_compared(client: TestClient, small_workbook: bytes,
                                                                      broken_workbook: bytes) -> None:
    old, new = upload(client, broken_workbook, "2025.xlsx"), upload(client, small_workbook, "2026.xlsx")
    report = client.get(f"/u/{new}/report")
    assert report.status_code == 200 and "Jakarta Pusat" in report.text
    assert report.headers["content-security-policy"].startswith("sandbox;")
    assert f'<option value="{old}">2025.xlsx</option>' in client.get(f"/u/{new}").text
    changes = client.get(f"/compare?old={old}&new={new}")
    assert changes.status_code == 200 and "Rumah Aman" in changes.text and "2025.xlsx" in changes.text
    assert client.get(f"/compare?old=../{old}&new={new}").status_code == 404


def test_thai_letters_have_a_font_from_this_server(client: TestClient) -> None:
    assert "/static/thai.ttf" in client.get("/static/serve.css").text
    font = client.get("/static/thai.ttf")
    assert font.status_code == 200 and font.content[:4] == b"\x00\x01\x00\x00"


def test_the_stop_button_stops_the_server(workspace: Workspace, guard: Guard) -> None:
    stopped: list[bool] = []
    with TestClient(create_app(workspace, guard, "en", lambda: stopped.append(True)), base_url=BASE,
                    follow_redirects=False) as c:
        c.get("/?token=the-key")
        assert c.get("/").status_code == 200 and not stopped
        answer = c.post("/stop", headers=ORIGIN)
    assert answer.status_code == 200 and stopped == [True]
    assert "deleted" in answer.text
