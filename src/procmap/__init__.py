"""procmap: business processes as code. Validate, audit and draw process files."""

__version__ = "0.1.0"
