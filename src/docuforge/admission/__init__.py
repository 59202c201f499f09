"""Admission control: bounds on queued work, and GET /capacity."""
