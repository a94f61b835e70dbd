"""quoth — who said what, in fiction."""
__version__ = "0.1.0"

from .errors import QuothError  # noqa: E402
from .pipeline import analyze  # noqa: E402
from .story import Story  # noqa: E402

__all__ = ["analyze", "Story", "QuothError", "__version__"]
