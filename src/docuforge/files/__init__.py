"""Files: uploads (multipart, presigned), two-phase ingest, ZIP bundles, and job inputs."""
