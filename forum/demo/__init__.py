"""Demo content: a small, fictional community, written for Kindred, to show what the forum is for."""
