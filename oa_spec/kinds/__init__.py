"""The resource kinds oaspec manages (tag, template, menu, ...), their normalized state and addresses."""
