"""Render: the site's files made from the model and its analysis, through the theme: the pages
(pages.py), their charts and Markdown, the machine-readable files (publish.py) and the
ClaimReview data (structured.py). Each page names what it shows, so that the layer beside the
stages (incremental/) can tell which pages an edit changes."""
