@echo off
rem studio-token from the task's portable (framework-dependent) build, on the agent's own .NET 10 or later.
rem STUDIO_TOKEN_DOTNET names another dotnet. The vsix build writes this file with CRLF line ends.
setlocal
if not defined STUDIO_TOKEN_DOTNET set "STUDIO_TOKEN_DOTNET=dotnet"
"%STUDIO_TOKEN_DOTNET%" "%~dp0studio-token.dll" %*
exit /b %ERRORLEVEL%
