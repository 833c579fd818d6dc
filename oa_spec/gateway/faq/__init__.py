"""Smart customer service: a retrieval ranker for Chinese FAQ questions with an out-of-scope decision."""
