"""The monthly HTML report: inline SVG charts over the marts, one self-contained file."""
