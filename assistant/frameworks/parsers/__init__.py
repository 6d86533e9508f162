"""One parser per framework document, each producing catalog items with exact source spans."""
