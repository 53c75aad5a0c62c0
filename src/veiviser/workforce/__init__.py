"""Positions, holders and locums over time: stability figures, timeline, exit interviews, stay
surveys and postings (shared/spec/workforce-data.md, shared/spec/recruit-retain.md)."""
