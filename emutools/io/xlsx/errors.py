"""The one error the workbook writer raises for the user: bilingual, naming the file."""

from __future__ import annotations

from emutools.errors import UserError


class WorkbookWriteError(UserError):
    """The workbook cannot be written; the messages name the file and what to do."""


def damaged(name: str, detail: str) -> WorkbookWriteError:
    """The file is not a workbook we can edit; ``detail`` is technical, for support."""
    return WorkbookWriteError(
        f"Không ghi được vào tệp “{name}”: tệp bị hỏng hoặc không phải bảng tính Excel (.xlsx, "
        ".xlsm). Hãy mở tệp bằng Excel, lưu lại dưới dạng Excel Workbook rồi chạy lại. Tệp gốc "
        f"không bị thay đổi. Chi tiết: {detail}",
        f"Cannot write '{name}': the file is damaged or not an Excel workbook (.xlsx, .xlsm). "
        f"Open it in Excel, save it as an Excel Workbook and run again. The file was not "
        f"changed. Details: {detail}",
    )

