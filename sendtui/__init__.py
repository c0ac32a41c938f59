"""sendtui: capture, tag and count consultation notes; pay parent carers' claims."""

__version__ = "0.1.0"
