"""The demo: a synthetic Seoul, two Seoul Survey years, the citizen panel with its waves
and a wave in the field — seeded in order by :func:`demo.seed.seed_demo`. It uses the
domain packages as any client does; nothing below it imports it.
"""
