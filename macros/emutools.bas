Attribute VB_Name = "emutools"
' emutools: nut bam va the "Thi dua" tren ribbon cua bang tinh cham diem cum, khoi thi dua.
' emutools: the buttons and the "Thi dua" ribbon tab of the cluster scoring workbook.
'
' Moi thu tuc goi Python qua RunPython cua xlwings. Can mot trong hai:
'   - module VBA "xlwings" ngay trong bang tinh (tep mau .xlsm da co san), hoac
'   - add-in xlwings ("xlwings addin install") va Tools > References > xlwings.
' Python phai cai goi emutools (pip install emutools), vi RunPython chay "import emutools.excel".
' Each procedure calls Python through xlwings' RunPython. It needs either:
'   - the "xlwings" VBA module in the same workbook (the ready .xlsm has it), or
'   - the xlwings add-in ("xlwings addin install") and Tools > References > xlwings.
' The emutools package must be installed in that Python (RunPython runs "import emutools.excel").
'
' Chu thich viet khong dau: trinh soan thao VBA doc module theo bang ma ANSI cua may,
' nen chu co dau se hien sai tren may cai tieng Anh.
' Comments are plain ASCII: the VBA editor reads modules in the machine's ANSI code page.

Option Explicit

' Xep hang lai: tinh tong diem, xep hang, xep loai, de nghi khen thuong; ghi lai hai sheet
' "Xep hang" va "Kiem tra" (o co van de duoc to do).
' Recalculate: totals, ranks, classifications and award proposals; rewrites the Ranking
' and Issues sheets (flagged input cells turn red).
Public Sub XepHangLai()
    RunPython "import emutools.excel as x; x.run_recalculate()"
End Sub

' Kiem tra: chi lam moi sheet "Kiem tra" (loi, canh bao), khong xep hang lai.
' Check: refreshes only the Issues sheet (errors and warnings); the ranking is left as is.
Public Sub KiemTra()
    RunPython "import emutools.excel as x; x.run_check()"
End Sub

' Cap nhat bo cuc: sap lai cac sheet cham diem, Chi tieu don vi, Minh chung, Bo phieu theo
' bang Don vi va Tieu chi (mot cot moi don vi, mot dong moi tieu chi); so lieu da nhap giu nguyen
' theo ma; so lieu khong con o duoc giu o sheet "Du lieu da bo".
' Update layout: lays the grids out from the Units and Criteria tables; typed values stay under
' their codes, values left without a cell are kept on the "Removed data" sheet.
Public Sub CapNhatBoCuc()
    RunPython "import emutools.excel as x; x.run_layout()"
End Sub

' Tao van ban: lap cac van ban cua cuoc hop binh xet tu ket qua xep hang.
' Documents: drafts the documents of the review meeting from the ranking.
Public Sub TaoVanBan()
    RunPython "import emutools.excel as x; x.run_make_documents()"
End Sub

' Ky moi: tao bang tinh cua ky sau ben canh tep nay (giu don vi, tieu chi; xoa diem, phieu;
' dat truong cum moi; ket qua ky nay chuyen sang sheet "Ky truoc"). Tep nay khong bi sua.
' New period: writes next period's workbook beside this file (units and criteria kept;
' scores and votes cleared; the new leader set; this period's results on "Ky truoc").
' This file is not changed.
Public Sub KyMoi()
    RunPython "import emutools.excel as x; x.run_new_period()"
End Sub

' Tao phieu tu cham: mot tep cho moi don vi trong thu muc "Phieu tu cham\<nam>" ben canh tep nay.
' Self-assessment forms: one file per unit in "Phieu tu cham\<year>" beside this file.
Public Sub TaoPhieu()
    RunPython "import emutools.excel as x; x.run_make_forms()"
End Sub

' Thu phieu tu cham: chep cac phieu trong thu muc "Nhan ve" vao sheet Tu cham va Minh chung;
' ghi sheet "Tien do". / Collect forms: copies the returned forms in; writes the Progress sheet.
Public Sub ThuPhieu()
    RunPython "import emutools.excel as x; x.run_collect_forms()"
End Sub

' --- Ribbon (customUI onAction): Excel goi cac thu tuc nay voi nut duoc bam. ---
' --- Ribbon callbacks (customUI onAction): Excel passes the clicked control. ---

Public Sub EmuRibbon_XepHangLai(control As IRibbonControl)
    XepHangLai
End Sub

Public Sub EmuRibbon_KiemTra(control As IRibbonControl)
    KiemTra
End Sub

Public Sub EmuRibbon_CapNhatBoCuc(control As IRibbonControl)
    CapNhatBoCuc
End Sub

Public Sub EmuRibbon_TaoVanBan(control As IRibbonControl)
    TaoVanBan
End Sub

Public Sub EmuRibbon_KyMoi(control As IRibbonControl)
    KyMoi
End Sub

Public Sub EmuRibbon_TaoPhieu(control As IRibbonControl)
    TaoPhieu
End Sub

Public Sub EmuRibbon_ThuPhieu(control As IRibbonControl)
    ThuPhieu
End Sub
