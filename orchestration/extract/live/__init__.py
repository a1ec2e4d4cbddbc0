"""Live extraction from the official APIs: one HTTP client, an immutable response store, one module per source.

Every response is landed (bytes on disk + a row in ``raw.<source>_responses``) *before* it is parsed, so a parser
fix can replay history from the store without refetching, and every raw row names the sha256 it came from."""
