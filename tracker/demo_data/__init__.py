"""The demo data, one module per feature, loaded in order by ``tracker.demo``.

Every module draws from the ``random.Random`` it is given (a fixed seed), so
the demo is the same each time.
"""
