"""Which modules a pickle names, read from its opcode stream: never unpickled, nothing imported
or executed. ``pickletools.genops`` only decodes opcodes and their arguments; a GLOBAL opcode
carries "module name", a STACK_GLOBAL takes the module from the strings pushed before it.

Compressed pickles (joblib's zlib, gzip, xz, bz2) are inflated to a bounded size first.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterator

MAX_PICKLES = 8  # legacy torch files hold several pickles one after another
MAX_OPCODES = 20_000
MAX_INFLATED = 256 << 10
# Legacy torch.save() begins with this magic number (a LONG1 argument).
TORCH_MAGIC = bytes.fromhex("6cfc9c46f9206aa85019")
_STRINGS = frozenset(
    {"SHORT_BINUNICODE", "BINUNICODE", "BINUNICODE8", "UNICODE", "SHORT_BINSTRING", "BINSTRING"}
)


def inflate(data: bytes) -> bytes:
    """``data`` itself, or its first MAX_INFLATED bytes when it is a compressed stream."""
    import bz2  # here, not at the top: a check that meets no pickle never loads them
    import lzma

    try:
        if data.startswith(b"\x1f\x8b"):
            return zlib.decompressobj(wbits=31).decompress(data, MAX_INFLATED)
        if data[:1] == b"x" and len(data) > 1 and (data[0] * 256 + data[1]) % 31 == 0:
            return zlib.decompressobj().decompress(data, MAX_INFLATED)
        if data.startswith(b"\xfd7zXZ"):
            # the stream's header chooses the dictionary size: bound the memory it may take
            decompressor = lzma.LZMADecompressor(memlimit=96 << 20)
            return decompressor.decompress(data, MAX_INFLATED)
        if data.startswith(b"BZh"):
            return bz2.BZ2Decompressor().decompress(data, MAX_INFLATED)
    except (zlib.error, lzma.LZMAError, OSError, EOFError, ValueError):
        return b""
    return data


def modules(data: bytes) -> Iterator[str]:
    """Module names the pickles at the start of ``data`` refer to, in order; stops quietly
    where the bytes end or stop being a pickle."""
    import pickletools  # only a file that looks like a pickle loads the decoder

    position, count = 0, 0
    for _ in range(MAX_PICKLES):
        if position >= len(data):
            return
        stream = io.BytesIO(data[position:])
        strings: list[str] = []
        ended = False
        try:
            for opcode, arg, _pos in pickletools.genops(stream):
                count += 1
                if count > MAX_OPCODES:
                    return
                if opcode.name == "GLOBAL" and isinstance(arg, str):
                    yield arg.split(" ", 1)[0]
                elif opcode.name == "STACK_GLOBAL" and len(strings) >= 2:
                    yield strings[-2]
                elif opcode.name in _STRINGS and isinstance(arg, (str, bytes)):
                    strings.append(arg if isinstance(arg, str) else arg.decode("latin-1"))
                    del strings[:-4]
                elif opcode.name == "STOP":
                    ended = True
        except (ValueError, EOFError, UnicodeDecodeError, OverflowError, MemoryError):
            return
        if not ended:
            return
        position += stream.tell()


def references(data: bytes, tops: frozenset[str]) -> str | None:
    """The first module of ``tops`` (top-level names such as ``sklearn``) the pickle names."""
    for module in modules(data):
        top = module.split(".", 1)[0]
        if top in tops:
            return module
    return None
