"""One parser per framework document, each producing catalog items with exact source spans and defining the
framework's DESCRIPTOR (what the generic layers may ask about it); a manifest entry selects it by `parser` name."""
