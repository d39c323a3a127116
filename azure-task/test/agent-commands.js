#!/usr/bin/env node
'use strict';
// Reads everything a task printed (a text file) and prints, one JSON object per line, each logging command in it as
// the agent sees it:
//
//   {"line": N, "command": "task.setvariable", "properties": {...}, "data": "..."}
//   {"line": N, "error": "..."}                       a line with "##vso[" that does not parse
//
//   node azure-task/test/agent-commands.js OUTPUT.txt
//
// Like the agent, it looks for "##vso[" anywhere in a line and parses from there; lines end at \r\n, \n or a lone \r
// (.NET's ReadLine, which the agent uses on a task's output). The parsing and unescaping is azure-pipelines-task-lib's
// own (taskcommand.js commandFromString: properties unescape %AZP25 %0D %0A %5D %3B; data unescapes %AZP25 %0D %0A),
// plus the agent's rule that a command is "area.event". Exit code 0 whatever the lines held; 2 if the file cannot be
// read.
const fs = require('fs');
const { commandFromString } = require('azure-pipelines-task-lib/taskcommand');

const PREFIX = '##vso[';

function parseLine(text) {
  const start = text.indexOf(PREFIX);
  const command = commandFromString(text.substring(start));
  if (!/^[^.\s]+\.[^.\s]+$/.test(command.command)) {
    throw new Error(`"${command.command}" is not area.event`);
  }
  return { command: command.command, properties: { ...command.properties }, data: command.message };
}

function main(argv) {
  if (argv.length !== 1) {
    process.stderr.write('usage: node azure-task/test/agent-commands.js OUTPUT.txt\n');
    return 2;
  }
  let text;
  try {
    text = fs.readFileSync(argv[0], 'utf8');
  } catch (err) {
    process.stderr.write(`agent-commands: ${err.message}\n`);
    return 2;
  }
  const out = [];
  text.split(/\r\n|\r|\n/).forEach((line, i) => {
    if (!line.includes(PREFIX)) return;
    try {
      out.push(JSON.stringify({ line: i + 1, ...parseLine(line) }));
    } catch (err) {
      out.push(JSON.stringify({ line: i + 1, error: err.message }));
    }
  });
  if (out.length) process.stdout.write(`${out.join('\n')}\n`);
  return 0;
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}

module.exports = { parseLine };
