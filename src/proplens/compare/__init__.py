"""Compare two versions of one story: how the second (B) reframes the first (A).

``proplens compare A B`` and ``POST /v1/compare`` use this package::

    from proplens.compare import Comparer, comparison_to_dict
    comparer = Comparer.load()                  # the detector, and sources if installed
    result = comparer.compare(text_a, text_b)   # a Comparison
    result.items[0].kind, result.summary["text"]

Modules: :mod:`.sentences` (units), :mod:`.similarity` and :mod:`.align`
(which sentence became which), :mod:`.words` (word changes), :mod:`.numbers`
and :mod:`.balance` (what the flags look for), :mod:`.flags`, :mod:`.summary`,
:mod:`.engine` (the whole run), :mod:`.jsonio`, :mod:`.text`, :mod:`.html`
(outputs), :mod:`.sources_adapter` (the link to :mod:`proplens.sources`),
:mod:`.storypairs` and :mod:`.evaluation` (the measured story pairs).
"""

from proplens.compare.engine import Comparer, build
from proplens.compare.result import Comparison, Flag, Item

__all__ = ["Comparer", "Comparison", "Flag", "Item", "build"]
