"""Articles kept in the repository: Markdown with YAML front matter, rendered to the HTML the WeChat
editor keeps, validated offline against the platform's limits, with their images hashed for upload.

Standalone on purpose: nothing here reads the spec models, so the spec, the kind registry, the emulator
and `oaspec publish` can call it without import cycles. Every problem is a `Diagnostic` at
file:line:col of the Markdown file. markdown-it-py and nh3 (the `content` extra) are imported lazily.

Front matter (`article.py`): title, cover (required); author, digest, stream, audience [tags],
date (YYYY-MM-DD, the slot it fills), source_url (阅读原文), comments (on/off). Anything else is refused.

- collection.py  find the files by the `content.articles` globs, stable ids, checks across articles
- validate.py    per-article checks (limits in oa_spec/limits.py, links, raw HTML, images, list depth)
- render.py      Markdown -> WeChat HTML with a Theme; images as oaspec-image:<sha256> placeholders
- images.py      image formats by magic bytes, sha256, the upload manifest, placeholder replacement
- draft.py       the draft/add entry and its version digest
- texts.py       the texts for the policy packs, each at its position
- diff.py        a readable diff of two rendered bodies for the plan
"""
