"""The `oaspec` command line: parse, call one stage, print."""
