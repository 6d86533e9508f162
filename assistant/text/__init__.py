"""The one text toolkit: tokens and stems, sentence spans, display cleaning, template rendering."""
