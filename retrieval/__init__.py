"""Retrieval: understand a question (query, glossary), search the index (hybrid), and the LangChain
retriever. The answer built on it (compose, cite, check) is the sub-package ``retrieval.answer``:
``from retrieval.answer import Assistant``."""
