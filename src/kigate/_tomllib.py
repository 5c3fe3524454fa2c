"""tomllib on 3.11+, tomli before: the bare parser, for kigate's own package data (the
message catalogues). Text from anywhere else goes through ``kigate._toml.loads``."""

import sys

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

__all__ = ["tomllib"]
