"""The ``classbot`` command line."""
