"""The answer: compose (extractive) or llm (optional), then cite and check (guard). ``Assistant`` is the
contract the app and scripts use."""

from retrieval.answer.assistant import Assistant
from retrieval.answer.citations import Answer, Citation

__all__ = ["Answer", "Assistant", "Citation"]
