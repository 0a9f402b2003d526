"""The printed compilation: LaTeX settings and chapters (GB/T 9704), the fonts that make it copy correctly, and the PDF's download links on the site."""
