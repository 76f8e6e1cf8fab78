"""zhiyi: the command-line tool of the ZhiYi translation API, on the generated client."""
