"""Pure-Python algorithms of OpenRegion (matching, scoring, scheduling). Must not import Django."""
