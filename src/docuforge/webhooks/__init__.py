"""Signed webhook deliveries when jobs end, in the Standard Webhooks format (what Svix signs)."""
