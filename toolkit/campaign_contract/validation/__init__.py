"""Validation: the schemas, validators per (kind, profile), the compiled fast path, Violation."""
