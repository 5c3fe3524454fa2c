"""tomllib (tomli before 3.11), with large texts answered from a memo (``tomlmemo``)."""

from kigate import tomlmemo as tomllib

__all__ = ["tomllib"]
