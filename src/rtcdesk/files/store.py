"""Content-addressed file store: bytes live on disk under their sha256, never in the database.

Writing streams through a temporary file in the same directory and renames it into place,
so a crash never leaves a half-written blob under a valid name, and storing the same bytes
twice costs nothing.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from rtcdesk.core.errors import InvalidInput, NotFound, TooLarge

CHUNK = 1024 * 1024


@dataclass(frozen=True, slots=True)
class StoredBlob:
    """What the store knows about a saved blob."""

    sha256: str
    size: int
    head: bytes


class FileStore:
    """A directory of blobs named by their sha256."""

    def __init__(self, root: Path, *, max_bytes: int) -> None:
        self.root = root
        self.max_bytes = max_bytes
        self.root.mkdir(parents=True, exist_ok=True)

    def path_for(self, sha256: str) -> Path:
        """Where the blob with this digest lives (it may not exist)."""
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise InvalidInput("not a sha256 digest")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def put_bytes(self, data: bytes) -> StoredBlob:
        """Store ``data`` and return its digest and size."""
        return self.put_chunks([data])

    def put_stream(self, stream: BinaryIO) -> StoredBlob:
        """Store everything readable from ``stream``."""
        return self.put_chunks(iter(lambda: stream.read(CHUNK), b""))

    def put_chunks(self, chunks: Iterable[bytes]) -> StoredBlob:
        """Store the concatenation of ``chunks``; refuse it once it passes ``max_bytes``."""
        digest = hashlib.sha256()
        size = 0
        head = b""
        tmp_dir = self.root / "tmp"
        tmp_dir.mkdir(exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=tmp_dir)
        try:
            with os.fdopen(fd, "wb") as out:
                for chunk in chunks:
                    size += len(chunk)
                    if size > self.max_bytes:
                        limit_mb = self.max_bytes // (1024 * 1024)
                        raise TooLarge(
                            "the file is larger than the limit of {limit_mb} MB",
                            params={"limit_mb": limit_mb},
                        )
                    if len(head) < 8192:
                        head += chunk[: 8192 - len(head)]
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            sha = digest.hexdigest()
            final = self.path_for(sha)
            final.parent.mkdir(parents=True, exist_ok=True)
            if final.exists():
                os.unlink(tmp_name)
            else:
                os.replace(tmp_name, final)
            return StoredBlob(sha256=sha, size=size, head=head)
        except BaseException:
            if os.path.exists(tmp_name):
                os.unlink(tmp_name)
            raise

    def open(self, sha256: str) -> BinaryIO:
        """Open a stored blob for reading."""
        path = self.path_for(sha256)
        if not path.exists():
            raise NotFound("the file is missing from the file store")
        return path.open("rb")

    def read_bytes(self, sha256: str) -> bytes:
        """Return a stored blob's bytes."""
        with self.open(sha256) as handle:
            return handle.read()

    def iter_chunks(self, sha256: str) -> Iterator[bytes]:
        """Yield a stored blob in chunks (for streaming downloads)."""
        with self.open(sha256) as handle:
            yield from iter(lambda: handle.read(CHUNK), b"")
