"""AWS clients: boto3 sessions, CUR / Data Exports deliveries, spot price history."""
