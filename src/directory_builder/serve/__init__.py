"""``directory-builder serve``: the staff web page on this machine (loopback only).

Imported only by the ``serve`` command: ``build`` and the other commands load none of its dependencies
(Starlette, uvicorn, python-multipart). ``app.py`` assembles the application, ``security.py`` holds the
rules every request passes, ``workspace.py`` the private folder and the in-memory ids, ``jobs.py`` the work
done in the background (builds, previews), ``views.py`` the screens, ``pages.py`` the templates.
"""
