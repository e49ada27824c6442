"""devagenda: monitor, search and report on the implementation of WIPO's Development Agenda."""

__version__ = "0.1.0"
