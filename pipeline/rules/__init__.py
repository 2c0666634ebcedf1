"""Rule sets shared by the spaCy components: time expressions, deadlines, actors, metadata."""
