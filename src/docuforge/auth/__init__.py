"""Identity and access: organizations, users, roles, API keys, JWTs, rate limits, tenant isolation."""
