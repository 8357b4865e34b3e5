"""Renderers are pure: (DistrictView, RenderOptions) -> bytes. build.py owns the file system."""
