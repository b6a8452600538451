"""The media library: one picture model for the whole product (stories, contributors, imports)."""
