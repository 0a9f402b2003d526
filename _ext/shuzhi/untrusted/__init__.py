"""What a report may do and reach: the report dialect (directives and roles), raw HTML and script links, unreadable source files, and the files a report may include."""
