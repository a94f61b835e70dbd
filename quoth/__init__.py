"""quoth — who said what, in fiction."""
__version__ = "0.1.0"

__all__ = ["analyze", "Story", "QuothError", "__version__"]


def __getattr__(name):
    # Lazy: `quoth --version` and corpus workers should not pay for the whole pipeline's imports.
    if name == "analyze":
        from .pipeline import analyze
        return analyze
    if name == "Story":
        from .story import Story
        return Story
    if name == "QuothError":
        from .errors import QuothError
        return QuothError
    raise AttributeError(f"module 'quoth' has no attribute {name!r}")
