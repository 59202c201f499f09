"""Document to Markdown, HTML, layout text, CSV tables, and Reducto's JSON result."""
