"""The command-line entry points behind the Makefile: `make run` (runner.py: one refresh in this process, its live
progress lines and its summary) and `make dev` (dev_server.py)."""
