"""Files the command line writes for users: whole or not at all."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from devagenda.core.errors import InputError


@contextmanager
def new_file(
    path: Path,
    *,
    overwrite: bool = False,
    overwrite_option: str = "--overwrite",
    mode: int = 0o600,
) -> Iterator[IO[bytes]]:
    """A file written in full or not at all: made beside `path` under another name and
    moved there once complete, so a failed or killed write leaves no partial file and
    an existing file is replaced only by a finished one (and only with `overwrite`,
    which the command offers as `overwrite_option`). `mode` is the file's permissions:
    by default only its owner's, as a backup holds personal data."""
    exists = InputError(
        f"the file exists: choose another name, or pass {overwrite_option} to replace it",
        path=str(path),
    )
    if path.exists() and not overwrite:
        raise exists
    if not path.parent.is_dir():
        raise InputError(
            f"the folder {path.parent} does not exist: create it first", path=str(path)
        )
    descriptor, temporary = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=".part"
    )
    try:
        os.fchmod(descriptor, mode)
        with os.fdopen(descriptor, "wb") as target:
            yield target
            target.flush()
            os.fsync(target.fileno())
        if overwrite:
            os.replace(temporary, path)
        else:
            try:
                os.link(temporary, path)  # unlike a rename, fails if the name was taken
            except FileExistsError:
                raise exists from None
    finally:
        Path(temporary).unlink(missing_ok=True)
