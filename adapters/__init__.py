"""Edges of the system: web app, platform adapters, command line, configuration and wiring."""
