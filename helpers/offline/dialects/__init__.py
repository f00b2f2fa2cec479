"""Renderings of one Generation: each module turns a request of its dialect into a Prompt and a
Generation back into that dialect's response (and stream events)."""
