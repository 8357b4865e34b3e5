"""The exporters (HSDS 3.0, HXL, JSON): pure functions from the published entries to bytes.

Each is registered as an output (``outputs/``); the ``export`` command's driver, which validates the
workbook and writes the files through ``util/storage.py``, is ``build/export.py``.
"""
