"""The installed package's version, importable without the library it belongs to."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("docuforge")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"
