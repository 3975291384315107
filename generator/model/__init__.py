"""The sizing model: pure sizing and pricing functions, and the one result object every command reads."""
