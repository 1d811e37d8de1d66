"""YAML -> plain data + positions, with safety limits; and discovery of procmap files."""

from procmap.loader.discover import InputError, discover, read_input
from procmap.loader.document import Document, load_bytes, load_text

__all__ = ["Document", "InputError", "discover", "load_bytes", "load_text", "read_input"]
