"""Benchmarks for Chống Dịch on PostgreSQL: `python -m bench [names…] [--scale 0.1]` (see README.md)."""
