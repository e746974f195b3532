"""Server-rendered pages (Jinja2, autoescaped) and their vendored static assets."""
