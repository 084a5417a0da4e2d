"""Alerts sent out of the pipeline (budget breaches to a Slack-compatible webhook)."""
