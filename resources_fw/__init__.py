"""resources_fw: a Falcon-style front-end (resource classes, explicit req/resp)."""
