"""The store: the Chroma index (registry, write protocol, typed reads), its damage checks, the embedding
model with its cache, and the index's own copies of the papers. The only package that touches Chroma."""

from store.index import PanelIndex

__all__ = ["PanelIndex"]
