"""NVML sampling (nvidia-ml-py) for hosts that run no dcgm-exporter."""
