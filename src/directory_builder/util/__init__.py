"""Small helpers every stage uses: storage, caches, OS errors, text and names."""
