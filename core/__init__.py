"""The foundation: settings, records, dates and errors every layer shares; imports nothing of ours above it."""
