"""writ env: list, show and generate environments."""
from . import main  # noqa: F401
