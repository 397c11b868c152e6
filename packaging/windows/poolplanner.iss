; Inno Setup 6 script: a per-user installer for Pool Planner that needs no administrator rights.
; Build dist\poolplanner\ first (packaging\README.md), then, from the repository root:
;     iscc /DAppVersion=0.1.0 packaging\windows\poolplanner.iss
; which writes dist\installer\PoolPlanner-0.1.0-setup.exe.
; Installs to %LOCALAPPDATA%\Programs\Pool Planner, a Start menu entry, and the .poolplan
; association under HKCU\Software\Classes (this user only), removed again on uninstall.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "Pool Planner"
#define AppExe "poolplanner.exe"
#define ProgId "PoolPlanner.Plan"

[Setup]
; A fixed AppId: the installer of a later version upgrades this install in place.
AppId={{6C1F3E2A-8B4D-4E57-9A0C-5D2B7F81A3C4}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Pool Planner
VersionInfoVersion={#AppVersion}
; Per user: no UAC prompt, {autopf} is %LOCALAPPDATA%\Programs, registry writes go to HKCU.
PrivilegesRequired=lowest
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
UninstallDisplayIcon={app}\{#AppExe}
SetupIconFile=..\..\resources\icons\poolplanner.ico
OutputDir=..\..\dist\installer
OutputBaseFilename=PoolPlanner-{#AppVersion}-setup
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; Tell Explorer the associations changed, so .poolplan icons refresh without a log-off.
ChangesAssociations=yes
CloseApplications=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
; The whole one-folder build; a reinstall replaces it (the user's plans live elsewhere).
Source: "..\..\dist\poolplanner\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Registry]
; .poolplan -> PoolPlanner.Plan, per user (HKCU\Software\Classes: no administrator needed).
Root: HKCU; Subkey: "Software\Classes\.poolplan"; ValueType: string; ValueName: ""; ValueData: "{#ProgId}"; Flags: uninsdeletevalue
Root: HKCU; Subkey: "Software\Classes\.poolplan\OpenWithProgids"; ValueType: string; ValueName: "{#ProgId}"; ValueData: ""; Flags: uninsdeletevalue
Root: HKCU; Subkey: "Software\Classes\{#ProgId}"; ValueType: string; ValueName: ""; ValueData: "Pool Planner plan"; Flags: uninsdeletekey
Root: HKCU; Subkey: "Software\Classes\{#ProgId}\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#AppExe},0"
Root: HKCU; Subkey: "Software\Classes\{#ProgId}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""
Root: HKCU; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: ".poolplan"; ValueData: ""; Flags: uninsdeletekey

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
