"""Private subpackage."""
