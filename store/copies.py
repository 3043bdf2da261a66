"""The index's own copies of the papers, named by content (``<index>/papers/<sha256[:24]>.pdf``).

Pages can be shown after the original moves, an upload's name never becomes a path, the app serves only
this folder, and a damaged store is rebuilt from these copies.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pypdfium2

from core.settings import StoreSettings


def keep_copy(path: Path, content_hash: str, store: StoreSettings, password: str = "") -> Path:
    """Copy a paper into the index's folder (once). A paper opened with a password is kept decrypted: the
    index already holds its text, and the password is never stored."""
    folder = store.papers_dir
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{content_hash[:24]}.pdf"
    if not target.is_file():
        partial = target.with_suffix(".part")
        if password:
            pdf = pypdfium2.PdfDocument(str(path), password=password)
            try:
                pdf.save(partial, flags=pypdfium2.raw.FPDF_REMOVE_SECURITY)
            finally:
                pdf.close()
        else:
            shutil.copyfile(path, partial)
        os.replace(partial, target)  # never a half-copied paper under the final name
    return target


def is_copy(path: Path, store: StoreSettings) -> bool:
    return Path(path).parent == store.papers_dir
