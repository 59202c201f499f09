"""Blobs in an S3-compatible store (AWS S3, MinIO, Ceph...), through boto3 in worker threads.

Writes stream as a multipart upload, buffering one part at most; reads stream the body in
chunks. Presigned URLs are signed for the public endpoint, which may differ from the one the
service talks to.
"""

from __future__ import annotations

import mimetypes
from collections.abc import AsyncIterable, AsyncIterator
from typing import Any

import anyio
import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from docuforge.config import Settings
from docuforge.errors import NotFound
from docuforge.storage import CHUNK, BlobInfo, BlobReplaced, Method, check_key, limit_stream

_NOT_FOUND = {"404", "NoSuchKey", "NotFound", "NoSuchBucket"}


def _client(settings: Settings, endpoint_url: str | None) -> Any:
    s3 = settings.storage.s3
    return boto3.session.Session().client(
        "s3",
        endpoint_url=endpoint_url,
        region_name=s3.region,
        aws_access_key_id=s3.access_key_id.get_secret_value() if s3.access_key_id else None,
        aws_secret_access_key=s3.secret_access_key.get_secret_value() if s3.secret_access_key else None,
        config=Config(
            signature_version="s3v4",
            # Path-style addressing: MinIO and most self-hosted servers have no per-bucket DNS.
            s3={"addressing_style": "path" if endpoint_url else "auto"},
            connect_timeout=settings.db.connect_timeout,
            read_timeout=60,
            retries={"max_attempts": 3, "mode": "standard"},
        ),
    )


class S3Store:
    def __init__(self, settings: Settings) -> None:
        s3 = settings.storage.s3
        self.bucket = s3.bucket
        self.prefix = s3.prefix
        self.part_size = s3.part_size
        self._create_bucket = s3.create_bucket
        self._default_expiry = settings.storage.url_expiry
        self._client = _client(settings, s3.endpoint_url)
        self._signer = _client(settings, s3.public_endpoint_url) if s3.public_endpoint_url else self._client
        self._bucket_ready = not s3.create_bucket

    def _key(self, key: str) -> str:
        return self.prefix + check_key(key)

    async def _call(self, method: str, **kwargs: Any) -> Any:
        return await anyio.to_thread.run_sync(lambda: getattr(self._client, method)(**kwargs))

    async def _ensure_bucket(self) -> None:
        if self._bucket_ready:
            return
        try:
            await self._call("head_bucket", Bucket=self.bucket)
        except ClientError as exc:
            if exc.response["Error"]["Code"] not in _NOT_FOUND:
                raise
            await self._call("create_bucket", Bucket=self.bucket)
        self._bucket_ready = True

    async def write(self, key: str, chunks: AsyncIterable[bytes], *, max_bytes: int | None = None) -> int:
        await self._ensure_bucket()
        name = self._key(key)
        pending: list[bytes] = []
        pending_size = 0
        upload_id: str | None = None
        parts: list[dict[str, Any]] = []
        size = 0
        try:
            async for chunk in limit_stream(chunks, max_bytes):
                pending.append(chunk)
                pending_size += len(chunk)
                size += len(chunk)
                # Parts may be any size above the minimum, so flush whole chunks: one copy per part.
                if pending_size >= self.part_size:
                    if upload_id is None:
                        created = await self._call("create_multipart_upload", Bucket=self.bucket, Key=name)
                        upload_id = created["UploadId"]
                    data = b"".join(pending)
                    pending, pending_size = [], 0
                    parts.append(await self._upload_part(name, upload_id, len(parts) + 1, data))
                    del data
            if upload_id is None:
                await self._call("put_object", Bucket=self.bucket, Key=name, Body=b"".join(pending))
                return size
            if pending:
                parts.append(await self._upload_part(name, upload_id, len(parts) + 1, b"".join(pending)))
            await self._call(
                "complete_multipart_upload",
                Bucket=self.bucket,
                Key=name,
                UploadId=upload_id,
                MultipartUpload={"Parts": parts},
            )
            return size
        except BaseException:
            if upload_id is not None:
                # Unfinished parts cost storage until aborted.
                with anyio.CancelScope(shield=True):
                    await self._call(
                        "abort_multipart_upload", Bucket=self.bucket, Key=name, UploadId=upload_id
                    )
            raise

    async def _upload_part(self, name: str, upload_id: str, number: int, data: bytes) -> dict[str, Any]:
        result = await self._call(
            "upload_part", Bucket=self.bucket, Key=name, UploadId=upload_id, PartNumber=number, Body=data
        )
        return {"ETag": result["ETag"], "PartNumber": number}

    async def read(self, key: str, *, version: str | None = None) -> AsyncIterator[bytes]:
        # If-Match makes the store itself refuse an object replaced since its ETag was recorded.
        condition = {"IfMatch": version} if version is not None else {}
        try:
            response = await self._call("get_object", Bucket=self.bucket, Key=self._key(key), **condition)
        except ClientError as exc:
            if exc.response["Error"]["Code"] in _NOT_FOUND:
                raise NotFound(f"blob {key} does not exist") from None
            if exc.response["Error"]["Code"] in ("PreconditionFailed", "412"):
                raise BlobReplaced(f"blob {key} was replaced after it was recorded") from None
            raise
        body = response["Body"]
        try:
            while chunk := await anyio.to_thread.run_sync(body.read, CHUNK):
                yield chunk
        finally:
            body.close()

    async def stat(self, key: str) -> BlobInfo | None:
        try:
            head = await self._call("head_object", Bucket=self.bucket, Key=self._key(key))
        except ClientError as exc:
            if exc.response["Error"]["Code"] in _NOT_FOUND:
                return None
            raise
        return BlobInfo(key=key, size=int(head["ContentLength"]), version=head.get("ETag"))

    async def delete(self, key: str) -> None:
        await self._call("delete_object", Bucket=self.bucket, Key=self._key(key))

    async def move(self, source: str, target: str, *, version: str) -> str:
        # A copy inside the store (no bytes through the service), of exactly the object that was
        # checked: a PUT that raced in since is refused by the store itself.
        try:
            copied = await self._call(
                "copy_object",
                Bucket=self.bucket,
                Key=self._key(target),
                CopySource={"Bucket": self.bucket, "Key": self._key(source)},
                CopySourceIfMatch=version,
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] in _NOT_FOUND:
                raise NotFound(f"blob {source} does not exist") from None
            if exc.response["Error"]["Code"] in ("PreconditionFailed", "412"):
                raise BlobReplaced(f"blob {source} was replaced after it was recorded") from None
            raise
        etag = str(copied["CopyObjectResult"]["ETag"])
        # A single-part object's copy has its ETag (the content's MD5); a store that ignores the
        # condition (moto, some S3-compatible servers) is caught here. Multipart ETags differ.
        if "-" not in version and etag != version:
            await self.delete(target)
            raise BlobReplaced(f"blob {source} was replaced after it was recorded")
        await self.delete(source)
        return etag

    def url(
        self, key: str, method: Method = "GET", expires_in: int | None = None, content_type: str | None = None
    ) -> str:
        operation = "get_object" if method == "GET" else "put_object"
        params = {"Bucket": self.bucket, "Key": self._key(key)}
        # Objects are stored without a type (presigned PUTs set none): the link names it, or the
        # key's extension does, so a filled PDF is served as a PDF, as the local store does.
        kind = (content_type or mimetypes.guess_type(key)[0]) if method == "GET" else None
        if kind:
            params["ResponseContentType"] = kind
        return self._signer.generate_presigned_url(
            operation,
            Params=params,
            ExpiresIn=expires_in or self._default_expiry,
        )

    async def check(self) -> None:
        await self._ensure_bucket()
        await self._call("head_bucket", Bucket=self.bucket)

    async def close(self) -> None:
        await anyio.to_thread.run_sync(self._client.close)
