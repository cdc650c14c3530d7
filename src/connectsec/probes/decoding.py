"""Content-Encoding decoding that never produces more than a cap, whatever the compression ratio."""

from __future__ import annotations

import zlib

ACCEPT_ENCODING = "gzip, deflate"
"""The encodings asked for: the only ones decoded (others are kept as sent)."""

_GZIP = zlib.MAX_WBITS | 16


class BodyDecodingError(Exception):
    """The body does not decode as its Content-Encoding says; the message says why."""


class _ZlibStage:
    """One gzip or deflate layer: at most `limit` bytes out per call, the rest of its input kept."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._wbits = _GZIP if name in ("gzip", "x-gzip") else zlib.MAX_WBITS
        self._inflater = zlib.decompressobj(self._wbits)
        self.pending = b""
        """Input held back because the last call reached its limit."""
        self._started = False

    def feed(self, data: bytes, limit: int) -> bytes:
        if self._inflater.eof:
            return b""  # bytes after the end of the stream are ignored, not buffered
        data = self.pending + data
        try:
            out = self._inflater.decompress(data, limit)
        except zlib.error as exc:
            if self.name != "deflate" or self._started:
                raise BodyDecodingError(f"{self.name} body does not decode: {exc}") from None
            self._inflater = zlib.decompressobj(-zlib.MAX_WBITS)  # raw deflate, as some servers send
            try:
                out = self._inflater.decompress(data, limit)
            except zlib.error as raw_exc:
                raise BodyDecodingError(f"deflate body does not decode: {raw_exc}") from None
        self._started = True
        self.pending = self._inflater.unconsumed_tail
        return out


class BoundedDecoder:
    """Decodes a body chunk by chunk; `full` once `limit` decoded bytes (plus one, to tell truncation) exist.

    Each layer is asked for no more than the bytes still wanted, so a few kilobytes that would inflate to
    gigabytes cost at most `limit` bytes of memory. Encodings other than gzip and deflate (never asked
    for) pass through undecoded, as received.
    """

    def __init__(self, content_encoding: str, limit: int) -> None:
        names = [n.strip().lower() for n in content_encoding.split(",") if n.strip()]
        names = [n for n in names if n != "identity"]
        self.decoding = bool(names) and all(n in ("gzip", "x-gzip", "deflate") for n in names)
        self._stages = [_ZlibStage(n) for n in reversed(names)] if self.decoding else []
        self._wanted = limit + 1
        self.size = 0

    @property
    def full(self) -> bool:
        """Whether more than `limit` bytes were decoded (the body is truncated)."""
        return self.size >= self._wanted

    def feed(self, data: bytes) -> bytes:
        """The decoded bytes of this raw chunk, never more than still wanted."""
        out: list[bytes] = []
        while (remaining := self._wanted - self.size) > 0:
            held = sum(len(s.pending) for s in self._stages)
            piece = data
            for stage in self._stages:
                piece = stage.feed(piece, remaining)
            piece = piece[:remaining]
            self.size += len(piece)
            out.append(piece)
            data = b""
            still_held = sum(len(s.pending) for s in self._stages)
            if not still_held or (not piece and still_held >= held):
                break
        return b"".join(out)
