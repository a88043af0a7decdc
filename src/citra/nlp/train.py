"""Training the sentiment model: fit the featuriser vocabulary, a linear classifier and its temperature.

``train_sentiment`` is the one entry point; ``bench/build_sentiment_model.py`` calls it to build the shipped model and
``citra train sentiment`` to build a workspace's own model (optionally with human labels, weighted).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import chain

import numpy as np

from citra.nlp.sentiment import Featuriser, char_ngrams, tokenize


def fit_featuriser(
    texts: Sequence[str],
    *,
    char_ngrams_range: tuple[int, int] = (2, 5),
    min_df_word: int = 2,
    min_df_char: int = 2,
    char_weight: float = 1.0,
) -> Featuriser:
    """A featuriser whose vocabulary holds the n-grams seen in at least ``min_df`` texts, with smooth IDF."""
    token_df: Counter[str] = Counter()
    bigram_df: Counter[tuple[str, str]] = Counter()
    char_df: Counter[str] = Counter()
    lo, hi = char_ngrams_range
    for text in texts:
        tokens = tokenize(text)
        unique = set(tokens)
        token_df.update(unique)
        bigram_df.update(set(zip(tokens, tokens[1:], strict=False)))
        char_df.update(set(chain.from_iterable(char_ngrams(t, lo, hi) for t in unique)))
    n = len(texts)
    vocab = sorted(t for t, df in token_df.items() if df >= min_df_word)
    token_id = {t: i for i, t in enumerate(vocab)}
    pairs = sorted(p for p, df in bigram_df.items() if df >= min_df_word)
    chars = sorted(g for g, df in char_df.items() if df >= min_df_char)
    return Featuriser(
        tokens=vocab,
        bigrams=np.array([(token_id[a], token_id[b]) for a, b in pairs], dtype=np.int64).reshape(-1, 2),
        chars=chars,
        word_idf=_idf(chain((token_df[t] for t in vocab), (bigram_df[p] for p in pairs)), n),
        char_idf=_idf((char_df[g] for g in chars), n),
        char_ngrams=char_ngrams_range,
        char_weight=char_weight,
    )


def _idf(df: Iterable[int], n: int) -> np.ndarray:
    counts = np.fromiter(df, dtype=np.float64)
    return np.log((1.0 + n) / (1.0 + counts)) + 1.0
