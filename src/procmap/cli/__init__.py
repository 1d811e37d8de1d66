"""The command line: one thin module per command; nothing else knows the terminal."""
