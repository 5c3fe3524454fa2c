"""kigate: anchor AI values in everyday development."""

__version__ = "0.1.0"
