"""Hybrid retrieval: dense + BM25 + phrase signals fused by reciprocal rank, identifier boosts, filters."""
