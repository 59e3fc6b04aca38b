"""The learned stage of the crisis detector: a linear model over words and word pairs.

Pure Python, no numpy: a post becomes the set of its words and adjacent word pairs (lower case, ASCII
letters and digits only, apostrophes dropped, hashtags left out), each known term weighs ``weight * idf``, the
sum is divided by the vector's length (TF-IDF with binary counts and L2 norm) and a logistic function turns it into a
score between 0 and 1.  The weights come from ``model.json``, which ``bench/train_crisis.py`` rebuilds
from the public labelled texts; the model card (MODEL_CARD.md beside this file) says what it was trained
on and how well it does on sources it never saw.

The model reads the whole post, so it hears what the lexicon cannot list ("I don't want to exist",
being a burden, being done); the lexicon explains, catches explicit intent and sees through
obfuscation.  ``combined.py`` decides the level from both.
"""
from __future__ import annotations

import heapq
import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import repeat
from pathlib import Path

__all__ = ["Model", "ModelScore", "load_model", "terms", "words"]

MODEL_PATH = Path(__file__).with_name("model.json")
#: How many of the strongest terms may be named when a score is explained.
EXPLAINING_TERMS = 5000

_HASHTAG = re.compile(r"#\w+")
_KEEP = b"abcdefghijklmnopqrstuvwxyz0123456789"
#: Bytes to themselves if they are a letter or digit, else to a space.  Working on ASCII bytes, with
#: bytes.translate and split, is several times faster than a regex over str on long posts.
_SPACE_OUT = bytes(c if c in _KEEP else 32 for c in range(256))


def words(text: str) -> list[bytes]:
    """The words of ``text`` as the model reads them: lower-case ASCII bytes, apostrophes dropped, no hashtags."""
    if "#" in text:
        text = _HASHTAG.sub(" ", text)
    # Letters outside ASCII are dropped (the vocabulary has none); so are apostrophes, straight and
    # curly, so that "don't" and "dont" are one word: some sources had theirs stripped, and so do members.
    return text.lower().encode("ascii", "ignore").translate(_SPACE_OUT, b"'").split()


def _terms(text: str) -> tuple[set[bytes], int]:
    """The words and word pairs of ``text``, and how many words it has."""
    said = words(text)
    found = set(said)
    found.update(map(b" ".join, zip(said, said[1:], strict=False)))
    return found, len(said)


def terms(text: str) -> set[str]:
    """The words and adjacent word pairs of ``text``, as the model sees them."""
    return {term.decode("ascii") for term in _terms(text)[0]}


def word_count(text: str) -> int:
    """How many words the model reads in ``text``."""
    return len(words(text))


@dataclass(frozen=True, slots=True)
class ModelScore:
    """How strongly the model hears danger in a post, and the terms that weighed most."""

    score: float
    #: (term, contribution to the logit), strongest first; only terms that pushed towards danger.
    words: tuple[tuple[str, float], ...] = ()
    #: How many words the score rests on: a few words give the model little to go on.
    length: int = 0

    def to_dict(self) -> dict:
        return {"score": round(self.score, 4), "words": [[w, round(c, 3)] for w, c in self.words]}


class Model:
    """A weight per term (already multiplied by the term's idf), the idf² per term for the norm, a bias."""

    def __init__(self, weights: dict[str, float], idf: dict[str, float], bias: float, meta: dict):
        # One lookup per term gives both numbers: the weight as the real part, idf² as the imaginary
        # part, so that one C-level sum adds up the score and the squared norm together.
        self.table = {term.encode("ascii"): complex(weights.get(term, 0.0), value * value)
                      for term, value in idf.items()}
        # The terms that can explain a score: the strongest pushes towards danger.  Intersecting a
        # post's terms with this small dict is one C-level step, where sorting all its terms is not.
        strongest = sorted((w, t) for t, w in weights.items() if w > 0)[-EXPLAINING_TERMS:]
        self.explaining = {term.encode("ascii"): weight for weight, term in strongest}
        # Terms ranked strongest last, equal weights by name: the words named are the same in every
        # process (ranking by weight alone left ties to set order, which the hash seed changes).
        self.explaining_rank = {term.encode("ascii"): rank for rank, (_, term) in enumerate(strongest)}
        self.bias = bias
        self.meta = meta

    @classmethod
    def from_file(cls, path: Path = MODEL_PATH) -> "Model":
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
        vocabulary = data["vocabulary"]
        idf = dict(zip(vocabulary, data["idf"], strict=True))
        weights = {term: coef * idf[term] for term, coef in zip(vocabulary, data["coef"], strict=True) if coef}
        return cls(weights, idf, data["bias"], data.get("meta", {}))

    def score(self, text: str, explain: int = 0, explain_from: float = 0.0) -> ModelScore:
        """Score ``text``; with ``explain=N``, also name the N terms that pushed the score up most.

        Naming them costs a second look at every term, so it is skipped when the score is below
        ``explain_from`` (the caller knows when nobody will read the explanation).
        """
        found, length = _terms(text)
        total = sum(map(self.table.get, found, repeat(0j)))
        if not total.imag:
            return ModelScore(_sigmoid(self.bias), length=length)
        norm = math.sqrt(total.imag)
        score = _sigmoid(self.bias + total.real / norm)
        if not explain or score < explain_from:
            return ModelScore(score, length=length)
        explaining = self.explaining
        pushing = heapq.nlargest(explain, explaining.keys() & found, key=self.explaining_rank.__getitem__)
        return ModelScore(score, tuple((t.decode("ascii"), explaining[t] / norm) for t in pushing), length)


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


@lru_cache(maxsize=1)
def load_model() -> Model:
    """The shipped model, loaded once per process."""
    return Model.from_file()
