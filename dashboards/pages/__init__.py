"""The dashboard's four pages, one module each, each with a ``Page`` component."""
