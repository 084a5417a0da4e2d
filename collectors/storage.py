"""Where a source's files live: a local folder laid out like the real bucket, or an S3 prefix (boto3)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol


class ObjectStore(Protocol):
    """The few operations loaders need, identical for a local mirror and for S3."""

    def list_keys(self, prefix: str) -> Iterator[str]: ...
    def read_bytes(self, key: str) -> bytes: ...
    def fetch(self, key: str, landing_dir: Path) -> Path: ...
    def uri(self, key: str) -> str: ...


@dataclass(frozen=True)
class LocalStore:
    """A folder whose relative paths are the object keys below the configured prefix."""

    root: Path

    def list_keys(self, prefix: str) -> Iterator[str]:
        base = self.root / prefix
        if not base.exists():
            return
        for path in sorted(base.rglob("*")):
            if path.is_file():
                yield path.relative_to(self.root).as_posix()

    def read_bytes(self, key: str) -> bytes:
        return (self.root / key).read_bytes()

    def fetch(self, key: str, landing_dir: Path) -> Path:
        """Local files are read in place: no copy."""
        path = self.root / key
        if not path.is_file():
            raise FileNotFoundError(f"{self.uri(key)} is listed in a manifest but does not exist")
        return path

    def uri(self, key: str) -> str:
        return str(self.root / key)


@dataclass(frozen=True)
class S3Store:
    """An S3 prefix read with a boto3 client (paginated listings, retried transfers)."""

    client: Any
    bucket: str
    prefix: str = ""

    def _key(self, key: str) -> str:
        return f"{self.prefix.strip('/')}/{key}".lstrip("/") if self.prefix else key

    def list_keys(self, prefix: str) -> Iterator[str]:
        paginator = self.client.get_paginator("list_objects_v2")
        full = self._key(prefix)
        strip = len(self.prefix.strip("/")) + 1 if self.prefix.strip("/") else 0
        for page in paginator.paginate(Bucket=self.bucket, Prefix=full):
            for obj in page.get("Contents", []):
                yield obj["Key"][strip:]

    def read_bytes(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.bucket, Key=self._key(key))["Body"].read()

    def fetch(self, key: str, landing_dir: Path) -> Path:
        """Download into the landing area (atomically: a partial download never looks complete)."""
        dest = landing_dir / self.bucket / self._key(key)
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_name(dest.name + ".part")
        self.client.download_file(self.bucket, self._key(key), str(tmp))
        shutil.move(tmp, dest)
        return dest

    def uri(self, key: str) -> str:
        return f"s3://{self.bucket}/{self._key(key)}"


def mirror_to_landing(store: S3Store, landing_dir: Path, suffixes: tuple[str, ...]) -> Path:
    """Download every object under the store's prefix whose name ends with one of ``suffixes`` into the landing area
    (an object already landed with the same size is not fetched again); return the local folder of the prefix."""
    root = landing_dir / store.bucket / store.prefix.strip("/")
    for key in store.list_keys(""):
        if not key.endswith(suffixes):
            continue
        landed = root / key
        size = store.client.head_object(Bucket=store.bucket, Key=store._key(key))["ContentLength"]
        if not (landed.is_file() and landed.stat().st_size == size):
            store.fetch(key, landing_dir)
    return root


def parse_s3_uri(uri: str) -> tuple[str, str]:
    """``s3://bucket/some/prefix`` → ``("bucket", "some/prefix")``."""
    rest = uri.removeprefix("s3://")
    bucket, _, prefix = rest.partition("/")
    if not bucket:
        raise ValueError(f"not an s3:// location: {uri!r}")
    return bucket, prefix.strip("/")
