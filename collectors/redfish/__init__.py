"""Redfish (DMTF) power readings: rack PDUs, chassis power and telemetry metric reports."""
