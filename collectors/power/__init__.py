"""Facility power: topology (site, room, rack, PDU, tariff) and the meter/BMS CSV mapping."""
