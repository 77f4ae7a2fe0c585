"""A five-unit cluster small enough to work out by hand (see test_core.py for the arithmetic).

Sheets are plain lists of rows, the way any reader hands them to emutools.io.tables;
``write_xlsx`` saves the same sheets as a real workbook with openpyxl.
"""

from __future__ import annotations

import openpyxl
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

UNITS = ["A", "B", "C", "D", "E"]
T, N = "Có", "Không"


def _lead(title: str) -> list[list[object]]:
    return [[title], ["ghi chú"], []]


def sheets() -> dict[str, list[list[object]]]:
    settings = _lead("CÀI ĐẶT") + [
        ["Thông số", "Giá trị", "Ghi chú"],
        ["Tên cụm, khối thi đua", "Cụm thi đua thử nghiệm", ""],
        ["Năm", 2025, ""],
        ["Kỳ đánh giá", "Năm", ""],
        ["Đơn vị trưởng cụm (mã)", "B", ""],
        ["Số chữ số thập phân của điểm", 2, ""],
        ["Cách tổng hợp điểm các bảng chấm", "Thẩm định thay tự chấm", ""],
        ["Thứ tự phân định khi bằng điểm", "1; 2; điểm trừ", ""],
        ["Ngưỡng chênh lệch tự chấm – thẩm định (% điểm tối đa)", 20, ""],
        [], [],
        ["Sheet chấm điểm", "Loại bảng chấm", "Đơn vị, người chấm"],
        ["Tự chấm", "Tự chấm", ""],
        ["Thẩm định", "Thẩm định", "Trưởng cụm"],
        [], [],
        ["Xếp loại", "Tổng điểm tối thiểu"],
        ["Xuất sắc", 27], ["Tốt", 25], ["Khá", 0],
        [], [],
        ["Mã khen thưởng", "Hình thức khen thưởng", "Cách chọn", "Số lượng hoặc tỷ lệ %",
         "Xếp loại tối thiểu", "Phải đăng ký danh hiệu", "Phải ký giao ước", "Căn cứ"],
        ["CP", "Cờ thi đua của Chính phủ", "Dẫn đầu cụm", 1, "Tốt", T, N, "Điều 25"],
        ["T", "Cờ thi đua cấp tỉnh", "Số lượng", 3, "Tốt", N, N, "Điều 26"],
        ["BK", "Bằng khen", "Tỷ lệ %", 20, "", N, N, "Quy chế cụm"],
    ]
    units = _lead("ĐƠN VỊ") + [
        ["Mã đơn vị", "Tên đơn vị", "Tên viết tắt", "Ký giao ước", "Đăng ký danh hiệu (mã)",
         "Đang bị kỷ luật, điều tra, thanh tra, khiếu nại"],
        ["A", "Sở An", "An", T, "CP", ""],
        ["B", "Sở Bình", "Bình", T, "T", ""],
        ["C", "Sở Cường", "Cường", T, "CP, T", ""],
        ["D", "Sở Dũng", "Dũng", T, "CP; T", ""],
        ["E", "Sở Em", "Em", N, "BK", ""],
    ]
    criteria = _lead("TIÊU CHÍ") + [
        ["Mã tiêu chí", "Nội dung tiêu chí", "Loại", "Điểm tối đa", "Trọng số", "Bắt buộc chấm",
         "Cần minh chứng", "Chỉ tiêu", "Cách tính", "Bậc điểm"],
        ["1", "Nhiệm vụ", None, 20, None, None, None, None, None, None],
        ["1.1", "Kế hoạch", "Chấm điểm", 10, 1, T, N, None, None, None],
        ["1.2", "Giải ngân (%)", "Chấm điểm", 10, 1, T, N, 100, "Tỷ lệ", None],
        ["2", "Phong trào", None, 10, None, None, None, None, None, None],
        ["2.1", "Sáng kiến", "Chấm điểm", 5, 2, T, T, None, None, None],
        ["3", "Điểm thưởng", None, None, None, None, None, None, None, None],
        ["3.1", "Thưởng", "Điểm thưởng", 3, 1, N, N, None, None, None],
        ["4", "Điểm trừ", None, None, None, None, None, None, None, None],
        ["4.1", "Trừ", "Điểm trừ", 5, 1, N, N, None, None, None],
        ["5", "Loại trừ", None, None, None, None, None, None, None, None],
        ["5.1", "Có cán bộ bị kỷ luật", "Loại trừ", None, None, N, N, None, None, None],
    ]
    codes = ["1", "1.1", "1.2", "2", "2.1", "3", "3.1", "4", "4.1", "5", "5.1"]

    def grid(title: str, table: dict[str, list[object]]) -> list[list[object]]:
        rows = _lead(title)
        rows[2] = [None, None, None, *UNITS]
        rows.append(["Mã tiêu chí", "Nội dung tiêu chí", "Điểm tối đa", *UNITS])
        for code in codes:
            rows.append([code, code, None, *table.get(code, [None] * 5)])
        return rows

    self_scores = {
        "1.1": [11, 8, 10, 9, 7],
        "1.2": [95, 100, 90, 90, 100],
        "2.1": [4, 5, 4, 4, 4],
        "3.1": [1, None, None, None, None],
        "4.1": [None, 1, None, None, None],
        "5.1": [N, N, N, N, N],
    }
    verified = {
        "1.1": [9, 8, 9, 9, None],
        "1.2": [95, 100, 90, 90, 50],
        "2.1": [4, 4.5, 4, 4, "3,5"],
        "3.1": [1, None, None, None, None],
        "4.1": [0, 1, None, None, None],
        "5.1": [T, N, N, N, N],
    }
    evidence = {"2.1": ["QĐ 1", "QĐ 2", "QĐ 3", "QĐ 4", None]}
    return {
        "Hướng dẫn": [["HƯỚNG DẪN"]],
        "Cài đặt": settings,
        "Đơn vị": units,
        "Tiêu chí": criteria,
        "Tự chấm": grid("TỰ CHẤM", self_scores),
        "Thẩm định": grid("THẨM ĐỊNH", verified),
        "Minh chứng": grid("MINH CHỨNG", evidence),
        "Xếp hạng": [["XẾP HẠNG"]],
        "Kiểm tra": [["KIỂM TRA"]],
    }


def write_xlsx(path, data: dict[str, list[list[object]]] | None = None) -> None:
    data = sheets() if data is None else data
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in data.items():
        ws = wb.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if isinstance(value, str):  # what Excel itself cannot hold either
                    value = ILLEGAL_CHARACTERS_RE.sub("", value)
                if value is not None:
                    ws.cell(r, c, value)
    wb.save(path)


def signable_demo(lang: str = "vi"):
    """The demo with its one error corrected (TTXT self-scored 6 on 2.4, whose maximum is 5),
    so documents to sign can be made; its warnings stay."""
    from emutools import contract as C
    from emutools.sample import demo_content

    content = demo_content(lang)
    content.scores[C.SELF_SHEET.name(lang)][("2.4", "TTXT")] = 5
    return content
