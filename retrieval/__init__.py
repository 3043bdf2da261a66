"""Search, then the answer: compose, cite, check. ``from retrieval import Assistant``."""

from retrieval.assistant import Assistant, BadQuestion
from retrieval.compose import Answer, Citation

__all__ = ["Answer", "Assistant", "BadQuestion", "Citation"]
