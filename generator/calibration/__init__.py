"""Measuring the design's tables on a real PostgreSQL (`aurora-gen calibrate`)."""
