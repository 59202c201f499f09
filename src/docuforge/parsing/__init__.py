"""The /parse endpoints: Reducto-compatible requests, parse jobs, and their results."""
