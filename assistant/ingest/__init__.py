"""Ingestion: loaders for txt/md/pdf/docx, uploads, and chunking (catalog-aware and generic)."""
