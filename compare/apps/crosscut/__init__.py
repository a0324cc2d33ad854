"""Cross-cutting concerns: auth, request ids, timing, CORS, domain errors as HTTP errors."""
