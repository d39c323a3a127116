'use strict';
// The task's only JavaScript: start the studio-token program with a verb and hand back its exit code.
// It does not import azure-pipelines-task-lib, which would move INPUT_*, ENDPOINT_AUTH_* and SECRET_* out of
// process.env; the program reads them from the environment it inherits, exactly as the agent set them.
const childProcess = require('child_process');
const fs = require('fs');
const path = require('path');

const bin = path.join(__dirname, 'bin');

/** The NativeAOT build where there is one for this agent, then the portable build on the agent's own dotnet. */
function candidates() {
  const native = path.join(bin, `${process.platform}-${process.arch}`, process.platform === 'win32' ? 'studio-token.exe' : 'studio-token');
  const portable = { file: process.env.STUDIO_TOKEN_DOTNET || 'dotnet', args: [path.join(bin, 'portable', 'studio-token.dll')], portable: true };
  return fs.existsSync(native) ? [{ file: native, args: [], native: true }, portable] : [portable];
}

/** A .vsix is a zip: the agent extracts the task without the executable bit. */
function makeExecutable(file) {
  if (process.platform === 'win32') {
    return;
  }
  try {
    fs.accessSync(file, fs.constants.X_OK);
  } catch {
    fs.chmodSync(file, 0o755);
  }
}

/** A logging command's data, escaped as the agent unescapes it. */
function escapeData(text) {
  return String(text).replace(/%/g, '%AZP25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/**
 * Runs `studio-token <verb>`. A native build that cannot start (another libc, say) falls back to the portable one;
 * a program that cannot start at all fails the main step and only warns in the post-job step.
 */
function run(verb, failOnStartError) {
  const problems = [];
  for (const target of candidates()) {
    try {
      if (target.native) {
        makeExecutable(target.file);
      }
    } catch (err) {
      problems.push(`${target.file}: ${err.message}`);
      continue;
    }
    const result = childProcess.spawnSync(target.file, [...target.args, verb], { stdio: 'inherit', windowsHide: true });
    if (!result.error) {
      process.exitCode = result.status === null ? 1 : result.status;
      return;
    }
    problems.push(target.portable
      ? `the portable build needs .NET 10 on this agent (${process.platform}-${process.arch}); add a UseDotNet@2 step with version 10.x before this task (${result.error.message})`
      : `${target.file} did not start (${result.error.message})`);
  }
  const level = failOnStartError ? 'error' : 'warning';
  process.stdout.write(`##vso[task.logissue type=${level}]${escapeData(`studio-token: ${problems.join('; ')}`)}\n`);
  process.exitCode = failOnStartError ? 1 : 0;
}

module.exports = { run };
