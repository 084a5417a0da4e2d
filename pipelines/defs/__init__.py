"""Auto-loaded definitions: one folder per source domain, one small ``@dg.definitions`` per concern."""
