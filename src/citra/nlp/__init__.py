"""Indonesian-first language stages. Each is pure (text in, labels out) and batch-friendly; ``pipeline``
composes them and is the only place that batches and reports progress."""
