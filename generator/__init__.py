"""A static site generator for fact-checks anchored in archived source articles."""

__version__ = "0.1.0"
