"""Small extractors, each reading one kind of thing from the question into the typed reading.

Each takes the shared :class:`~autoviz_pipeline.understanding.reading.Context` (question, tokens, column index,
what earlier extractors found) and returns its own findings; ``reading.read_question`` runs them in order.
"""
