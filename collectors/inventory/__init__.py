"""Host inventory: which billed machine a telemetry host name is (EC2, GKE/GCE, on-prem)."""
