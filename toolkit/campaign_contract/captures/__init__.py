"""Captured traffic: one reader per format, the validation run and its process pool."""
