"""emutools in xlwings Lite (Excel on the web, Windows, macOS — no local Python needed).

Paste this file into xlwings Lite's main.py editor and the requirements.txt beside it into
its requirements tab.  The scripts appear in Lite's script list; the worksheet functions
(=EMU_TOTAL, =EMU_RANK, =EMU_MISSING) in Excel's formula bar.  They are the same code as
the desktop buttons: emutools.excel and emutools.udfs.

The self-assessment forms scripts (tao_phieu, thu_phieu) are left out on purpose: Lite runs in
the browser with no access to the folders on the user's machine, so it can neither write a
form per unit beside the workbook nor read a folder of returned forms (docs/forms.md).
"""

from emutools.excel import cap_nhat_bo_cuc, kiem_tra, ky_moi, tao_van_ban, xep_hang_lai  # noqa: F401  (scripts)
from emutools.udfs import EMU_MISSING, EMU_RANK, EMU_TOTAL  # noqa: F401  (functions)
