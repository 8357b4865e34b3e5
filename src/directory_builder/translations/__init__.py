"""Translations reviewed in a spreadsheet: every fixed text of one language out to an .xlsx and back.

- ``entries.py``: every fixed text (catalog messages, front matter) as ``Entry`` rows, and where the
  draft/reviewed status lives (a ``reviewed`` flag in the .po; ``needs_review``/``reviewed`` in the
  front-matter file).
- ``sheet.py``: the review workbook (``translations export``).
- ``importer.py``: read it back, check it, write the catalog and front matter (``translations import``).
- ``drafts.py``: how many drafts a language still has (the build says so once).
"""
