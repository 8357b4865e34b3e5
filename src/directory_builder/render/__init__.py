"""Renderers are pure: (DistrictView, RenderOptions) -> bytes. Only ``util/storage.py`` writes files
(called by ``build/`` and ``export``)."""
