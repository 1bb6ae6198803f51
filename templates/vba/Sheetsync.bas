' The sheetsync buttons on the Project sheet call these macros.
' Each runs one entry point of the Python module sheetsync.excel on this workbook;
' RunPython comes from the xlwings module of this project (xlwings "standalone" mode),
' so no add-in is needed: only Python with sheetsync and xlwings installed.
' Source of templates/vba/vbaProject.bin: edit here, then run
'   python templates/vba/build_vba_project.py

Sub SheetsyncSync()
    RunPython "import sheetsync.excel as s; s.sync()"
End Sub

Sub SheetsyncDigestPreview()
    RunPython "import sheetsync.excel as s; s.digest_preview()"
End Sub

Sub SheetsyncCheckCopy()
    RunPython "import sheetsync.excel as s; s.check_copy()"
End Sub
