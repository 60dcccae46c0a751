"""Charts drawn with matplotlib (Agg) as inline SVG, styled like the pages.

matplotlib is imported inside ``figure()``, never at import time, so pages
without charts and the command line stay fast.
"""
