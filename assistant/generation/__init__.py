"""Optional generative answering: backends behind one interface, every sentence verified against its citation."""
