"""Saved pipelines (POST/GET /pipelines) and their runs (POST /pipeline, /pipeline_async; spec §4.6, §5.7)."""
