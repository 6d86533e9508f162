"""The passage index: embedders, the Chroma store with atomic generations, and BM25."""
