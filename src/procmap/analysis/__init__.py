"""Audit: process graphs, metrics (visits, lead times, utilization) and audit rules."""
