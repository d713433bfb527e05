"""Request generation: the request model read from the schema and hypothesis strategies."""
