"""proplens: find and explain propaganda techniques in news articles.

>>> import proplens
>>> analyzer = proplens.load()                                  # doctest: +SKIP
>>> article = analyzer.analyze("Only a fool would trust them.")  # doctest: +SKIP
>>> [(article.span_text(s), s.technique, s.score) for s in article.spans]  # doctest: +SKIP
"""

from proplens import _blas  # noqa: F401  (first: it must run before numpy is loaded)
from proplens.article import Article, Span
from proplens.errors import FormatError, InputError, ModelError, ProplensError
from proplens.version import __version__

__all__ = [
    "Article",
    "Span",
    "ProplensError",
    "InputError",
    "FormatError",
    "ModelError",
    "load",
    "__version__",
]


def load(model_dir=None, threshold=None):
    """Load the detector once (the shipped model unless ``model_dir`` is given).

    The returned :class:`proplens.analyzer.Analyzer` is reusable and thread-safe
    for ``analyze`` calls.
    """
    from proplens.analyzer import Analyzer

    return Analyzer.load(model_dir, threshold=threshold)
