Attribute VB_Name = "Ribbon"
' The Action Plan ribbon tab. Every button calls RagbookButton, so the VBA stays one dispatcher: the
' button's tag names the Python function to run and, after a bar, what to ask the user for first (a plan
' to import, a folder, where to save a report). Excel's own dialogs ask, because they are what users
' know; xlwings' RunPython then runs ragbook.ribbon.press with this workbook as the caller. Python shows
' the outcome, and any error, in a message box of its own.
Option Explicit

Public Sub RagbookButton(control As IRibbonControl)
    Dim parts() As String
    Dim chosen As String
    parts = Split(control.Tag, "|")
    If UBound(parts) >= 1 Then
        chosen = AskFor(parts(1))
        If Len(chosen) = 0 Then Exit Sub ' cancelled: nothing to do
    End If
    Application.StatusBar = "Action Plan: " & control.Id & " is running..."
    RunPython PythonCall(parts(0), chosen)
End Sub

' The Python statement for one press, e.g. import ragbook.ribbon; ragbook.ribbon.press('validate', '')
Public Function PythonCall(ByVal button As String, ByVal chosen As String) As String
    PythonCall = "import ragbook.ribbon; ragbook.ribbon.press(" & PyText(button) & ", " & PyText(chosen) & ")"
End Function

' A Python string literal holding text, such as a path with a backslash or an apostrophe in it.
Public Function PyText(ByVal text As String) As String
    PyText = "'" & Replace(Replace(text, "\", "\\"), "'", "\'") & "'"
End Function

' Asks with Excel's own dialog; an empty answer means the user cancelled.
Public Function AskFor(ByVal what As String) As String
    Dim answer As Variant
    answer = False
    Select Case what
        Case "plan"
            answer = Application.GetOpenFilename( _
                "Action plans (*.docx;*.txt;*.csv;*.xlsx),*.docx;*.txt;*.csv;*.xlsx", 1, "Import plan")
        Case "folder"
            With Application.FileDialog(msoFileDialogFolderPicker)
                .Title = "Choose the returns folder"
                If .Show = -1 Then answer = .SelectedItems(1)
            End With
        Case "report"
            answer = Application.GetSaveAsFilename("Board report.docx", "Word documents (*.docx),*.docx", 1, _
                "Save the board report as")
    End Select
    If VarType(answer) = vbString Then AskFor = answer
End Function
