"""foia-tui: a keyboard-first terminal workbench for public-records email releases."""

__version__ = "0.1.0"
