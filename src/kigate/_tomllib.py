"""tomllib on 3.11+, tomli before: the bare parser, for kigate's own package data (the
message catalogues), with large texts answered from a memo (``tomlmemo``). Text from
anywhere else goes through ``kigate._toml.loads``."""

from kigate import tomlmemo as tomllib

__all__ = ["tomllib"]
