"""Optional text generators behind one small interface (the extractive composer needs none of them)."""
