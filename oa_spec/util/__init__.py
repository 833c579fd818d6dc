"""Small helpers with no knowledge of the pipeline: clock, durable file writes, URLs, redaction, display."""
