"""classbot: a chat assistant for short, intensive training classes."""

__version__ = "0.1.0"
