"""Articles kept in the repository: Markdown with YAML front matter, rendered to the HTML the WeChat
editor keeps, validated offline against the platform's limits, with their images hashed for upload.

Standalone on purpose: nothing here reads the spec models, so the spec, the kind registry, the emulator
and `oaspec publish` can call it without import cycles. Every problem is a `Diagnostic` at
file:line:col of the Markdown file.
"""
