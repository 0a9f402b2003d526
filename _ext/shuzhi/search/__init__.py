"""Chinese search: the chunked index the site's search page reads, and jieba's words for Sphinx's own index when that is used instead."""
