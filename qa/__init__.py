"""Question answering: routing, hybrid retrieval, rule hooks and grounded answers over the corpus."""
