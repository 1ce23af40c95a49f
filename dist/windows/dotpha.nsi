; dotpha.nsi: the installer of dotpha.exe for an office's Windows PC
; (make windows-dist).  Per user, no administrator rights (an office PC
; seldom gives them): dotpha.exe goes to %LOCALAPPDATA%\Programs\dotpha,
; which is added to the user's PATH; an uninstaller undoes both and
; leaves the config (%APPDATA%\dotpha) and the queue (%LOCALAPPDATA%\dotpha).
; makensis -DVERSION=... -DEXE=... -DGUIDE=... -DOUT=... dotpha.nsi

; x86-64 like dotpha.exe itself (and so it runs under wine64 in make test-windows).
Target amd64-unicode
!include "LogicLib.nsh"
!include "StrFunc.nsh"
!include "WinMessages.nsh"
${StrStr}
${UnStrRep}

Name "dotpha ${VERSION}"
OutFile "${OUT}"
InstallDir "$LOCALAPPDATA\Programs\dotpha"
RequestExecutionLevel user
SetCompressor /SOLID lzma
ShowInstDetails show

LoadLanguageFile "${NSISDIR}\Contrib\Language files\Vietnamese.nlf"

!define ENVKEY "Environment"
!define UNINSTKEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\dotpha"

Page directory
Page instfiles
UninstPage uninstConfirm
UninstPage instfiles

Section "dotpha"
  SetOutPath "$INSTDIR"
  File "/oname=dotpha.exe" "${EXE}"
  File "/oname=HUONG-DAN.txt" "${GUIDE}"
  WriteUninstaller "$INSTDIR\uninstall.exe"
  ; The user's PATH, unless it already has the folder.
  ReadRegStr $0 HKCU "${ENVKEY}" "Path"
  ${StrStr} $1 "$0" "$INSTDIR"
  ${If} $1 == ""
    ${If} $0 == ""
      WriteRegExpandStr HKCU "${ENVKEY}" "Path" "$INSTDIR"
    ${Else}
      WriteRegExpandStr HKCU "${ENVKEY}" "Path" "$0;$INSTDIR"
    ${EndIf}
    SendMessage ${HWND_BROADCAST} ${WM_SETTINGCHANGE} 0 "STR:Environment" /TIMEOUT=5000
  ${EndIf}
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayName" "dotpha"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTKEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegDWORD HKCU "${UNINSTKEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTKEY}" "NoRepair" 1
  DetailPrint "dotpha.exe: $INSTDIR (đã thêm vào PATH; mở lại cửa sổ dòng lệnh)"
SectionEnd

Section "Uninstall"
  Delete "$INSTDIR\dotpha.exe"
  Delete "$INSTDIR\HUONG-DAN.txt"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  ReadRegStr $0 HKCU "${ENVKEY}" "Path"
  ${UnStrRep} $0 "$0" ";$INSTDIR" ""
  ${UnStrRep} $0 "$0" "$INSTDIR;" ""
  ${UnStrRep} $0 "$0" "$INSTDIR" ""
  WriteRegExpandStr HKCU "${ENVKEY}" "Path" "$0"
  SendMessage ${HWND_BROADCAST} ${WM_SETTINGCHANGE} 0 "STR:Environment" /TIMEOUT=5000
  DeleteRegKey HKCU "${UNINSTKEY}"
SectionEnd
