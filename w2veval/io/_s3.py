"""Reading an ``s3://bucket/key`` object as a stream, with errors that say what to do.

boto3 is configured the usual way (environment, ``~/.aws``, instance role;
``AWS_ENDPOINT_URL`` for another endpoint). botocore retries the ``GetObject`` call
itself after a refused connection, a timeout or an HTTP 5xx (``AWS_MAX_ATTEMPTS``,
``AWS_RETRY_MODE``). It does not retry a body that breaks off once the object is
streaming; w2veval resumes such a body with a ``Range`` request pinned to the
object's ETag (:data:`S3_RESUMES` times), so a large vectors file survives a dropped
connection and is never mixed from two versions of the object. When S3 holds a checksum
of the object (CRC32, SHA-256, ...), botocore checks it once the whole body has been read
in one response; a mismatch is an error, never vectors from damaged bytes.
"""

from __future__ import annotations

import io
import os
from typing import Any

from ..errors import VectorSourceError, W2VEvalError

__all__ = ["ENV_S3_TIMEOUT", "S3_RESUMES", "open_s3"]

#: Seconds to wait for S3 to connect or to send data (botocore's default is 60).
ENV_S3_TIMEOUT = "W2VEVAL_S3_TIMEOUT"
#: How often a body that breaks off is resumed where it stopped.
S3_RESUMES = 3

_RETRY_HINT = "botocore retried as configured (AWS_MAX_ATTEMPTS, AWS_RETRY_MODE)"


def open_s3(url: str) -> tuple[_S3Body, int | None]:
    """``get_object`` on ``s3://bucket/key``: the streamed body and its length.

    Raises
    ------
    VectorSourceError
        Naming ``url``, what went wrong and what to do.
    """
    bucket, _, key = url[len("s3://") :].partition("/")
    if not bucket or not key:
        raise VectorSourceError("an S3 URL needs a bucket and a key: s3://bucket/key", path=url)
    client = _client(url)
    response = _get(client, url, Bucket=bucket, Key=key)
    return _S3Body(client, bucket, key, response, url), response.get("ContentLength")


def _client(url: str):
    import boto3
    import botocore.config
    import botocore.exceptions as bce

    timeout = os.environ.get(ENV_S3_TIMEOUT, "").strip()
    config = None  # botocore's defaults
    if timeout:
        try:
            seconds = float(timeout)
            if not seconds > 0:
                raise ValueError
        except ValueError:
            raise VectorSourceError(
                f"{ENV_S3_TIMEOUT}={timeout!r} is not a positive number of seconds; unset it or give e.g. 60",
                path=url,
            ) from None
        config = botocore.config.Config(connect_timeout=seconds, read_timeout=seconds)
    try:
        # A session per call: the usual configuration chain, read afresh (the
        # default session caches credentials and is not thread-safe).
        return boto3.session.Session().client("s3", config=config)
    except (bce.BotoCoreError, ValueError) as err:
        raise VectorSourceError(
            f"cannot set up an S3 client: {err}; check the AWS configuration "
            "(AWS_DEFAULT_REGION, AWS_ENDPOINT_URL, ~/.aws/config)",
            path=url,
        ) from None


def _get(client, url: str, **request):
    import botocore.exceptions as bce

    try:
        return client.get_object(**request)
    except bce.ClientError as err:
        raise VectorSourceError(_client_error(err, request["Bucket"]), path=url) from None
    except bce.NoCredentialsError:
        raise VectorSourceError(
            "no AWS credentials found; give them the way boto3 looks for them (AWS_ACCESS_KEY_ID "
            "and AWS_SECRET_ACCESS_KEY, AWS_PROFILE and ~/.aws/credentials, or an instance role)",
            path=url,
        ) from None
    except (bce.ConnectTimeoutError, bce.ReadTimeoutError):
        raise VectorSourceError(
            f"cannot reach S3: no answer within {_timeout(client):g} s ({_RETRY_HINT}); try again "
            f"later, or wait longer with {ENV_S3_TIMEOUT}=<seconds>",
            path=url,
        ) from None
    except (bce.BotoCoreError, OSError) as err:
        raise VectorSourceError(
            f"cannot reach S3: {err} ({_RETRY_HINT}); check the network, AWS_ENDPOINT_URL and "
            "any proxy settings, then try again",
            path=url,
        ) from None


def _timeout(client) -> float:
    return float(client.meta.config.read_timeout)


def _client_error(err, bucket: str) -> str:
    error = err.response.get("Error", {})
    code = str(error.get("Code", ""))
    message = error.get("Message") or str(err)
    status = err.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0
    attempts = 1 + int(err.response.get("ResponseMetadata", {}).get("RetryAttempts") or 0)
    if code in ("AccessDenied", "403", "AllAccessDisabled"):
        return "access denied (check the credentials and the bucket policy)"
    if code in ("InvalidAccessKeyId", "SignatureDoesNotMatch", "ExpiredToken", "InvalidToken"):
        return f"S3 rejected the AWS credentials ({code}: {message})"
    known = {
        "NoSuchKey": "no such key in the bucket; check the URL",
        "NoSuchBucket": f"no such bucket {bucket!r}; check the URL and the account",
        "404": "no such key or bucket; check the URL",
    }
    if code in known:
        return known[code]
    if code == "PreconditionFailed":
        return "the object changed while it was being read (its ETag is no longer the same); load it again"
    if status >= 500 or code in ("InternalError", "ServiceUnavailable", "SlowDown"):
        return (
            f"S3 answered {code or status}: {message} ({attempts} attempt"
            f"{'s' if attempts > 1 else ''}); the service is failing for now: try again later, "
            "or allow more attempts with AWS_MAX_ATTEMPTS"
        )
    return f"S3 error {code}: {message}"


class _S3Body(io.RawIOBase):
    """A streamed S3 object body: resumed where it broke off, read errors name the URL."""

    def __init__(self, client: Any, bucket: str, key: str, response: dict[str, Any], url: str) -> None:
        self._client, self._bucket, self._key, self._url = client, bucket, key, url
        self._body = response["Body"]
        self._etag = response.get("ETag")
        self._size = response.get("ContentLength")
        self._at = 0
        self._resumes = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        import botocore.exceptions as bce

        while True:
            try:
                # The empty read at the end is where botocore compares the object's
                # checksum (CRC32 and the like, when S3 has one) with the bytes received.
                data = self._body.read(len(buffer))
            except W2VEvalError:
                raise
            except bce.FlexibleChecksumError as err:
                raise VectorSourceError(
                    f"the bytes received do not match the object's checksum ({err}): they were "
                    "damaged on the way; load it again",
                    path=self._url,
                ) from err
            except Exception as err:  # botocore/urllib3 stream errors: cut, timeout, reset
                if self._size is not None and self._at >= self._size:
                    return 0  # everything arrived; only the end of the stream failed
                self._resume(err)
                continue
            if not data and self._size is not None and self._at < self._size:
                self._resume(None)  # a silent early end of the stream
                continue
            buffer[: len(data)] = data
            self._at += len(data)
            return len(data)

    def _resume(self, err) -> None:
        size = "?" if self._size is None else f"{self._size:,}"
        what = f"the connection broke after {self._at:,} of {size} bytes"
        if err is not None:
            what += f" ({' '.join(str(err).split())})"
        if self._resumes >= S3_RESUMES or self._size is None:
            raise VectorSourceError(
                f"reading from S3 failed: {what}, and {self._resumes} resumed request"
                f"{'s' if self._resumes != 1 else ''} did not finish it; the network or the "
                f"endpoint is failing: try again later (a slow link may need "
                f"{ENV_S3_TIMEOUT}=<seconds>)",
                path=self._url,
            ) from err
        self._resumes += 1
        try:
            self._body.close()
        except Exception:  # the broken connection may not close cleanly
            pass
        request = {"Bucket": self._bucket, "Key": self._key, "Range": f"bytes={self._at}-"}
        if self._etag:
            request["IfMatch"] = self._etag
        self._body = _get(self._client, self._url, **request)["Body"]

    def close(self) -> None:
        try:
            self._body.close()
        finally:
            super().close()
