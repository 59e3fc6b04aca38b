"""Split text into plain and highlighted pieces, so templates can mark what the detector matched. Pure."""
from __future__ import annotations


def highlight(text: str, spans: list[tuple[int, int]]) -> list[tuple[str, bool]]:
    """Return (piece, is_match) pairs covering the text; overlapping or out-of-range spans are tidied."""
    pieces: list[tuple[str, bool]] = []
    position = 0
    for start, end in sorted((max(0, s), min(len(text), e)) for s, e in spans):
        if end <= position or start >= end:
            continue
        start = max(start, position)
        if start > position:
            pieces.append((text[position:start], False))
        pieces.append((text[start:end], True))
        position = end
    if position < len(text):
        pieces.append((text[position:], False))
    return pieces
