"""`infraledger sample-data`: a seeded, internally consistent period for every source, in real wire formats."""
