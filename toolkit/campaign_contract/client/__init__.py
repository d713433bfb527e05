"""The HTTP client: endpoint URL and headers, exchanges and curl, pacing, budget, retries, JWT."""
