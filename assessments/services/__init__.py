"""Assessment writes, one module per part; each function is one transaction."""
