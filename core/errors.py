"""The errors a user reads as one line (``str(err)``), and the few messages more than one layer prints."""

from __future__ import annotations


class SettingsError(ValueError):
    """A settings file or ``PANEL_*`` variable that cannot be used (an unknown key, a wrong type)."""


class IngestError(Exception):
    """A file that cannot be ingested. ``str(err)`` is the one-line reason shown to the user."""


class IndexUnavailable(RuntimeError):
    """The Chroma server cannot be reached (or the embedded store cannot be opened)."""


class IndexBusy(RuntimeError):
    """Another process holds the index's writer lock for longer than we wait."""


class BadQuestion(ValueError):
    """A question that cannot be asked (empty, absurdly long, no words); ``str()`` is the reason."""


MAX_QUESTION_CHARS = 2000


def check_question(question: str) -> str:
    """The question with its whitespace tidied, or BadQuestion saying why it cannot be asked."""
    question = " ".join((question or "").split())
    if not question:
        raise BadQuestion("the question is empty")
    if len(question) > MAX_QUESTION_CHARS:
        raise BadQuestion(f"the question is too long ({len(question)} characters; the limit is {MAX_QUESTION_CHARS})")
    if not any(ch.isalnum() for ch in question):
        raise BadQuestion("the question has no words in it")
    return question


def first_line(exc: BaseException, limit: int = 160) -> str:
    """An exception's first line, for a message that must stay one line."""
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:limit]


def damaged_index_message(exc: BaseException) -> str:
    """What to do about a vector store a crash left unreadable (see ``store.damage``)."""
    return (f"the index is damaged ({first_line(exc)}): run `panel-papers ingest` (or upload any paper in the "
            "app's Library tab) to rebuild it from its copies of the papers")
