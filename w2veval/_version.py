__version__ = "0.1.0"
"""The installed version of w2veval (semantic versioning; see ``CHANGELOG.md``)."""
