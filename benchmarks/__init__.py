"""Benchmarks: scripts that build national-scale data in a throwaway database and time a job."""
