"""Test-wide setup.

xlwings' remote engine (real xw.Book objects without Excel) lives in its PRO part and
needs a licence key in the environment before xlwings is first imported; the
noncommercial key is free for this use.  Users' classic RunPython path needs none.
"""

import os

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
