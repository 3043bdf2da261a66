"""Ingest: PDF → pages (pdf_reader) → structure (structure, scorecard) → chunks (chunker) → the store,
run by ``pipeline``. The corpus catalogue (``core.catalogue``) says what it knows of each paper."""
