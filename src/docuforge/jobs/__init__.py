"""Jobs: durable asynchronous work, on an in-process runner or Celery workers."""
