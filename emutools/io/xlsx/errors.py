"""The one error emutools' file writing raises for the user: bilingual, naming the file."""

from __future__ import annotations

import errno

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



def cannot_write(path, exc: OSError) -> WorkbookWriteError:
    """An OS failure while writing ``path``, said as what happened and what to do.

    The cause is named from ``errno``: a full disk, a name too long, a missing folder, no
    permission or a read-only drive, a file in use; anything else is shown as the system
    said it.  Nothing partial is left behind by the safe writer, so the message says so.
    """
    name, folder = getattr(path, "name", str(path)), getattr(path, "parent", "")
    code = getattr(exc, "errno", None)
    if code == errno.ENOSPC or code == getattr(errno, "EDQUOT", -1):
        vi = f"ổ đĩa chứa thư mục “{folder}” đã đầy. Hãy giải phóng dung lượng rồi chạy lại"
        en = f"the disk holding '{folder}' is full. Free some space and run again"
    elif code == errno.ENAMETOOLONG:
        vi = "tên tệp (hoặc đường dẫn) quá dài. Hãy đặt tên ngắn hơn rồi chạy lại"
        en = "the file name (or path) is too long. Choose a shorter name and run again"
    elif code == errno.ENOENT:
        vi = f"thư mục “{folder}” không tồn tại. Hãy tạo thư mục hoặc chọn thư mục khác"
        en = f"the folder '{folder}' does not exist. Create it or choose another folder"
    elif code == errno.EROFS:
        vi = "ổ đĩa chỉ cho đọc. Hãy chọn thư mục khác (ví dụ Documents)"
        en = "the drive is read-only. Choose another folder (e.g. Documents)"
    elif isinstance(exc, PermissionError):
        vi = (f"không có quyền ghi, hoặc tệp đang mở trong chương trình khác. Hãy đóng tệp, hoặc "
              f"chọn thư mục khác thư mục “{folder}”, rồi chạy lại")
        en = (f"no permission, or the file is open in another program. Close it, or choose a "
              f"folder other than '{folder}', and run again")
    elif code in (errno.EISDIR, errno.ENOTDIR, errno.EEXIST):
        vi = "một thư mục hoặc tệp khác đã mang tên này. Hãy chọn tên khác"
        en = "a folder or another file already has this name. Choose another name"
    else:
        vi = en = None
    detail = exc.strerror or str(exc)
    if vi is None:
        return WorkbookWriteError(
            f"Không ghi được tệp “{name}” ({detail}). Không có tệp nào bị ghi dở hay thay đổi.",
            f"Cannot write '{name}' ({detail}). Nothing was left half written or changed.")
    return WorkbookWriteError(
        f"Không ghi được tệp “{name}”: {vi}. Không có tệp nào bị ghi dở hay thay đổi.",
        f"Cannot write '{name}': {en}. Nothing was left half written or changed.")
