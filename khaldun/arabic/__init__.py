"""khaldun's Arabic analysis path: the same contract Document as the English pipeline, offsets into the Arabic text.

`analyze_arabic(prepared, registry, gazetteer)` is called by khaldun.pipeline for documents in Arabic.
"""

from .analyze import analyze_arabic

__all__ = ["analyze_arabic"]
