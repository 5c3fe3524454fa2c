"""kigate's rules: the registry (``RULES``) and one module per rule family.

Importing this package loads the registry only; ``kigate.rules.run`` applies the rules.
"""

from __future__ import annotations

from kigate.rules.registry import PROBLEM_RULES, RULES, Rule, get

__all__ = ["PROBLEM_RULES", "RULES", "Rule", "get"]
