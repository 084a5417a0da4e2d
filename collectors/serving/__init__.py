"""Inference-serving metrics (vLLM, Triton)."""
