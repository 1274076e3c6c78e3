"""The waiting list's pages (migrant: join, code, offer) and its API."""
