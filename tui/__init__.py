"""Threadloom: a keyboard-driven terminal studio for LangGraph deployments."""

__version__ = "0.1.0"
