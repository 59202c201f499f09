"""Document to Markdown, HTML, layout text, CSV tables and page crops."""
