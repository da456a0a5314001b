Attribute VB_Name = "Ribbon"
' The Action Plan ribbon tab. Every button calls RagbookButton, so the VBA stays one dispatcher: the
' button's tag names the Python function to run and, after a bar, what to ask the user for first (a plan
' to import, a folder, returns, an agency, where to save a report). Before anything is asked, SetupProblem
' checks that the Python this workbook names is there with ragbook beside it, so that a computer not set up
' is told what to do instead of failing inside xlwings. Excel's own dialogs ask, because they are what users
' know; cancelling any of them ends the press with nothing run. xlwings' RunPython then runs
' ragbook.ribbon.press with this workbook as the caller; Python shows the outcome, and any error, in a
' message box of its own.
Option Explicit

Private Const TITLE As String = "Action Plan"

Public Sub RagbookButton(control As IRibbonControl)
    Dim parts() As String
    Dim chosen As Variant
    Dim passwordFile As String
    Dim extra As String
    Dim problem As String
    problem = SetupProblem()
    If Len(problem) > 0 Then
        MsgBox problem, vbExclamation, TITLE & ": Python is not set up"
        Exit Sub
    End If
    parts = Split(control.Tag, "|")
    chosen = ""
    If UBound(parts) >= 1 Then
        If Not Ask(parts(1), chosen, passwordFile, extra) Then Exit Sub ' cancelled: nothing runs
    End If
    If parts(0) = "help" Then extra = XLWINGS_VERSION ' Help compares the xlwings of these macros with Python's
    Application.StatusBar = "Action Plan: " & control.Id & " is running..."
    RunPython PythonCall(parts(0), chosen, passwordFile, extra)
End Sub

' The Python statement for one press, e.g. import ragbook.ribbon; ragbook.ribbon.press('validate', '', '', '')
Public Function PythonCall(ByVal button As String, ByVal chosen As Variant, ByVal passwordFile As String, _
                           ByVal extra As String) As String
    PythonCall = "import ragbook.ribbon; ragbook.ribbon.press(" & PyText(button) & ", " & PyValue(chosen) & _
                 ", " & PyText(passwordFile) & ", " & PyText(extra) & ")"
End Function

' One path as a Python string literal, or the files of a multiple choice as a Python list of them.
Public Function PyValue(ByVal chosen As Variant) As String
    Dim text As String
    Dim i As Long
    If Not IsArray(chosen) Then
        PyValue = PyText(CStr(chosen))
        Exit Function
    End If
    For i = LBound(chosen) To UBound(chosen)
        If i > LBound(chosen) Then text = text & ", "
        text = text & PyText(CStr(chosen(i)))
    Next i
    PyValue = "[" & text & "]"
End Function

' A Python string literal holding text, such as a path with a backslash or an apostrophe in it.
Public Function PyText(ByVal text As String) As String
    text = Replace(Replace(text, "\", "\\"), "'", "\'")
    PyText = "'" & Replace(Replace(text, vbCr, "\r"), vbLf, "\n") & "'"
End Function

' Asks what the button needs, with Excel's own dialogs; False when the person cancelled one of them.
Public Function Ask(ByVal what As String, chosen As Variant, passwordFile As String, extra As String) As Boolean
    Select Case what
        Case "plan"
            chosen = PickFile("Action plans (*.docx;*.txt;*.csv;*.xlsx),*.docx;*.txt;*.csv;*.xlsx", "Import plan")
            If Len(chosen) = 0 Then Exit Function
        Case "issue"
            chosen = PickFolder("Choose the folder for the returns")
            If Len(chosen) = 0 Then Exit Function
            If Not AskPassword("Protect the returns with a password?", passwordFile) Then Exit Function
        Case "chase"
            chosen = PickFolder("Choose the folder for the reminders")
            If Len(chosen) = 0 Then Exit Function
        Case "reissue"
            extra = Trim(InputBox("Re-issue the return of which agency? Type its name as the Agencies sheet " & _
                                  "has it.", TITLE & ": Re-issue return", AgencyInSelection()))
            If Len(extra) = 0 Then Exit Function
            chosen = PickFolder("Choose the folder for the return of " & extra)
            If Len(chosen) = 0 Then Exit Function
            If Not AskPassword("Protect the return with a password?", passwordFile) Then Exit Function
        Case "returns"
            If Not PickReturns(chosen) Then Exit Function
            If Not AskPassword("Are any of these returns protected with a password?", passwordFile) Then Exit Function
        Case "report"
            chosen = PickReportFile()
            If Len(chosen) = 0 Then Exit Function
            If Not AskPublication(extra) Then Exit Function
        Case Else
            Exit Function ' a question these macros do not know: update the workbook with ragbook
    End Select
    Ask = True
End Function

' Whether a password is used, and the file holding it on its first line: the password itself is never typed,
' kept or shown here. False when cancelled.
Private Function AskPassword(ByVal question As String, passwordFile As String) As Boolean
    Select Case MsgBox(question & vbLf & vbLf & "Yes: choose the file that holds the password (it is not kept " & _
                       "in the workbook, nor shown)." & vbLf & "No: no password.", vbYesNoCancel + vbQuestion, TITLE)
        Case vbYes
            passwordFile = PickFile("Text files (*.txt),*.txt,All files (*.*),*.*", "Choose the file holding the password")
            AskPassword = Len(passwordFile) > 0
        Case vbNo
            passwordFile = ""
            AskPassword = True
    End Select
End Function

' Consolidate reads every return in a folder, or the files chosen. False when cancelled.
Private Function PickReturns(chosen As Variant) As Boolean
    Select Case MsgBox("Consolidate every return in a folder?" & vbLf & vbLf & "Yes: choose the folder." & vbLf & _
                       "No: choose the return files.", vbYesNoCancel + vbQuestion, TITLE & ": Consolidate returns")
        Case vbYes
            chosen = PickFolder("Choose the folder of returns that came back")
            PickReturns = Len(chosen) > 0
        Case vbNo
            chosen = Application.GetOpenFilename(FileFilter:="Returns (*.xlsx),*.xlsx", Title:="Choose the returns", _
                                                 MultiSelect:=True)
            PickReturns = IsArray(chosen) ' False, not a list, when cancelled
    End Select
End Function

' For publication, the report is checked for personal data first. "accept" goes to Python only when the person
' says the findings listed by an earlier check have been reviewed; Python accepts only findings that were
' listed before this press, so nothing is published that nobody was shown. False when cancelled.
Private Function AskPublication(extra As String) As Boolean
    Select Case MsgBox("Is this report for publication?" & vbLf & vbLf & "Yes: it is checked for personal data " & _
                       "first, and written only when nothing is found or you have reviewed what was." & vbLf & _
                       "No: a report for the board only.", vbYesNoCancel + vbQuestion, TITLE & ": Board report")
        Case vbNo
            extra = ""
            AskPublication = True
        Case vbYes
            Select Case MsgBox("Did an earlier check list possible personal data that you have now reviewed?" & _
                               vbLf & vbLf & "Yes: I have reviewed them: accept." & vbLf & "No: run the check " & _
                               "(nothing is written while it finds anything).", vbYesNoCancel + vbQuestion, _
                               TITLE & ": Board report")
                Case vbYes
                    extra = "public accept"
                    AskPublication = True
                Case vbNo
                    extra = "public"
                    AskPublication = True
            End Select
    End Select
End Function

' The agency named in the active cell's row of the Returns or Agencies sheet, offered as the answer to
' Re-issue return's question; "" when the selection is elsewhere. (Python reads the same selection when the
' button is pressed on the web edition, which has no question box.)
Private Function AgencyInSelection() As String
    Dim sheet As Object
    Dim col As Long
    On Error GoTo NoAgency ' no active sheet or cell (a chart sheet): nothing to offer
    Set sheet = ActiveSheet
    If sheet.Name <> "Returns" And sheet.Name <> "Agencies" Then Exit Function
    If ActiveCell.Row < 2 Then Exit Function
    For col = 1 To 16
        If CStr(sheet.Cells(1, col).Value) = "Agency" Then
            AgencyInSelection = Trim(CStr(sheet.Cells(ActiveCell.Row, col).Value))
            Exit Function
        End If
    Next col
NoAgency:
End Function

Private Function PickFile(ByVal filter As String, ByVal question As String) As String
    Dim answer As Variant
    answer = Application.GetOpenFilename(filter, 1, question)
    If VarType(answer) = vbString Then PickFile = answer
End Function

Private Function PickFolder(ByVal question As String) As String
    With Application.FileDialog(msoFileDialogFolderPicker)
        .Title = question
        If Len(WorkbookFolder()) > 0 Then .InitialFileName = WorkbookFolder()
        If .Show = -1 Then PickFolder = .SelectedItems(1)
    End With
End Function

Private Function PickReportFile() As String
    Dim answer As Variant
    answer = Application.GetSaveAsFilename(WorkbookFolder() & "Board report.docx", _
        "Word documents (*.docx),*.docx,PDF documents (*.pdf),*.pdf", 1, "Save the board report as")
    If VarType(answer) = vbString Then PickReportFile = answer
End Function

' The workbook's own folder, where the dialogs start; none for a workbook named by a web address (opened from
' OneDrive or SharePoint), where a dialog cannot start.
Private Function WorkbookFolder() As String
    If Len(ThisWorkbook.Path) = 0 Or InStr(ThisWorkbook.Path, "://") > 0 Then Exit Function
    WorkbookFolder = ThisWorkbook.Path & Application.PathSeparator
End Function

' What stops Python from running the buttons, in one sentence for a message box; "" when nothing does, or
' when nothing can be checked without starting Python.
Public Function SetupProblem() As String
    #If Mac Then
        ' Mac Excel is sandboxed: to its VBA a file outside Excel's own folders can look missing, so a check
        ' here would stop a working setup. Help, run by Python, reports the Mac's setup.
        SetupProblem = ""
    #Else
        SetupProblem = WindowsSetupProblem(ConfSetting("Interpreter_Win"))
    #End If
End Function

' The Interpreter setting xlwings reads from this workbook's hidden xlwings.conf sheet: a name in column A,
' its value in column B, read down to the first blank name as xlwings reads it.
Public Function ConfSetting(ByVal name As String) As String
    Dim sheet As Object
    Dim row As Long
    On Error GoTo NoSheet ' no xlwings.conf sheet: xlwings' defaults apply
    Set sheet = ThisWorkbook.Worksheets("xlwings.conf")
    For row = 1 To 50
        If Len(CStr(sheet.Cells(row, 1).Value)) = 0 Then Exit Function
        If UCase(CStr(sheet.Cells(row, 1).Value)) = UCase(name) Then
            ConfSetting = Trim(CStr(sheet.Cells(row, 2).Value))
            Exit Function
        End If
    Next row
NoSheet:
End Function

' A set interpreter must exist, with ragbook installed for it: pip puts ragbook.exe beside python.exe or in its
' Scripts folder, or for an installation for all users in the user's own Scripts folder. A blank setting is
' xlwings' default ("python" on the PATH), and a path with %VARIABLES% is expanded by xlwings: neither can be
' checked without starting Python, so neither is.
Public Function WindowsSetupProblem(ByVal interpreter As String) As String
    Dim files As Object
    Dim folder As String
    If InStr(interpreter, "\") = 0 Or InStr(interpreter, "%") > 0 Then Exit Function
    On Error GoTo Unchecked ' no FileSystemObject on this computer: xlwings reports what it finds
    Set files = CreateObject("Scripting.FileSystemObject")
    If Not files.FileExists(interpreter) Then
        WindowsSetupProblem = "Python was not found at " & interpreter & ", where the hidden xlwings.conf sheet " & _
            "of this workbook says it is (Interpreter_Win, cell B1); install Python there, or put the path of " & _
            "the Python that has ragbook in B1 (right-click a sheet tab, Unhide, xlwings.conf), then press the " & _
            "button again."
        Exit Function
    End If
    folder = files.GetParentFolderName(interpreter)
    If files.FileExists(folder & "\ragbook.exe") Or files.FileExists(folder & "\Scripts\ragbook.exe") Then Exit Function
    If InUserScripts(files) Then Exit Function
    WindowsSetupProblem = "ragbook is not installed for the Python at " & interpreter & " (there is no " & _
        "ragbook.exe beside it or in its Scripts folder); install it with """ & folder & "\python.exe"" -m pip " & _
        "install ragbook, or put the path of the Python that has ragbook in B1 of the hidden xlwings.conf " & _
        "sheet, then press the button again."
Unchecked:
End Function

' Whether ragbook.exe is in the user's own Scripts folder of any Python (%APPDATA%\Python\PythonXY\Scripts);
' True too when that cannot be looked at, so that a press is never stopped on a guess.
Private Function InUserScripts(files As Object) As Boolean
    Dim root As String
    Dim version As Object
    On Error GoTo Unknown
    root = CreateObject("WScript.Shell").ExpandEnvironmentStrings("%APPDATA%") & "\Python"
    If Not files.FolderExists(root) Then Exit Function
    For Each version In files.GetFolder(root).SubFolders
        If files.FileExists(version.Path & "\Scripts\ragbook.exe") Then
            InUserScripts = True
            Exit Function
        End If
    Next version
    Exit Function
Unknown:
    InUserScripts = True
End Function
