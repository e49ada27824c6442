"""Full-text search with facets over every area's records, in Chinese and English."""
