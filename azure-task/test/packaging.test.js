'use strict';
// Tests of the Azure Pipelines packaging: build-vsix.sh (on stand-in publish outputs), check-task-json.js and
// agent-commands.js. Run with `node --test azure-task/test/packaging.test.js` after `npm ci` in azure-task/.
const test = require('node:test');
const assert = require('node:assert/strict');
const childProcess = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const here = path.resolve(__dirname, '..');
const root = path.resolve(here, '..');
const { checkTask, compileSchema, readZip } = require('../check-task-json');

const rootTask = JSON.parse(fs.readFileSync(path.join(root, 'task.json'), 'utf8'));
const validate = compileSchema();

const made = [];
test.after(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

function tmp(name) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `studio-token-${name}-`));
  made.push(dir);
  return dir;
}

function run(file, args, options = {}) {
  return childProcess.spawnSync(file, args, { encoding: 'utf8', ...options });
}

/** Problems for a copy of the root task.json changed by `change`, as "pointer: message" lines. */
function problemsAfter(change, exists = null) {
  const task = structuredClone(rootTask);
  change(task);
  return checkTask(task, validate, exists).map((p) => `${p.path}: ${p.message}`);
}

function assertProblem(problems, pattern) {
  assert.ok(problems.some((p) => pattern.test(p)), `expected a problem matching ${pattern}, got:\n${problems.join('\n') || '(none)'}`);
}

test('agent-commands parses logging commands as the agent and task-lib do', () => {
  const dir = tmp('commands');
  const file = path.join(dir, 'output.txt');
  fs.writeFileSync(file, [
    'plain output',
    '##vso[task.setsecret]s3cr;et]x',
    '##vso[task.setvariable variable=STUDIO_TOKEN;issecret=true]50%AZP25 done%0Anext%0D',
    'text [with] brackets ##vso[task.prependpath]/agent/_tasks/StudioToken/bin/linux-x64',
    '##vso[task.settaskvariable variable=refresherPid]42',
    '##vso[task.logissue type=warning;sourcepath=a%3Bb%5D%AZP25]careful',
    '##vso[task.setvariable variable=x;novalue]y',
    '##vso[nodot]y',
    '##vso[task.debug unterminated',
    '##vs[task.debug]not a command',
  ].join('\n') + '\r\n##vso[task.setvariable variable=CRLF]1\r\n');
  const result = run(process.execPath, [path.join(__dirname, 'agent-commands.js'), file]);
  assert.equal(result.status, 0, result.stderr);
  assert.deepEqual(result.stdout.trimEnd().split('\n').map((l) => JSON.parse(l)), [
    { line: 2, command: 'task.setsecret', properties: {}, data: 's3cr;et]x' },
    { line: 3, command: 'task.setvariable', properties: { variable: 'STUDIO_TOKEN', issecret: 'true' }, data: '50% done\nnext\r' },
    { line: 4, command: 'task.prependpath', properties: {}, data: '/agent/_tasks/StudioToken/bin/linux-x64' },
    { line: 5, command: 'task.settaskvariable', properties: { variable: 'refresherPid' }, data: '42' },
    { line: 6, command: 'task.logissue', properties: { type: 'warning', sourcepath: 'a;b]%' }, data: 'careful' },
    { line: 7, error: 'Invalid property: novalue' },
    { line: 8, error: '"nodot" is not area.event' },
    { line: 9, error: 'Invalid command brackets' },
    { line: 11, command: 'task.setvariable', properties: { variable: 'CRLF' }, data: '1' },
  ]);
  // Keys in exactly this order: the C# end-to-end tests read these lines.
  assert.match(result.stdout.split('\n')[0], /^\{"line":2,"command":"task\.setsecret","properties":\{\},"data":/);
});

test('check-task-json passes the repository task.json and its task folder', () => {
  const result = run(process.execPath, [path.join(here, 'check-task-json.js'), path.join(root, 'task.json'), path.join(here, 'StudioToken')]);
  assert.equal(result.status, 0, result.stdout + result.stderr);
  assert.match(result.stdout, /^ok: /m);
});

test('check-task-json reports one line per problem and exits 1', () => {
  const dir = tmp('check');
  const task = structuredClone(rootTask);
  task.id = 'not-a-guid';
  task.inputs[0].grupName = 'request';
  fs.writeFileSync(path.join(dir, 'task.json'), JSON.stringify(task));
  const result = run(process.execPath, [path.join(here, 'check-task-json.js'), path.join(dir, 'task.json'), dir]);
  assert.equal(result.status, 1);
  const lines = result.stdout.trimEnd().split('\n');
  assert.ok(lines.some((l) => /task\.json: \/id: id must be a GUID/.test(l)), result.stdout);
  assert.ok(lines.some((l) => /task\.json: \/inputs\/0: unknown property "grupName"/.test(l)), result.stdout);
  assert.ok(lines.some((l) => /\/execution\/Node20_1\/target: target "main\.js" does not exist/.test(l)), result.stdout);
  assert.equal(lines.filter((l) => /\/id:/.test(l)).length, 1, 'the schema and the semantic check report the id once');
  assert.equal(run(process.execPath, [path.join(here, 'check-task-json.js')]).status, 2);
});

test('check-task-json semantic checks', async (t) => {
  const input = (x, name) => x.inputs.find((i) => i.name === name);
  const cases = [
    ['name', (x) => { x.name = 'Studio Token'; }, /^\/name: name must match/],
    ['version', (x) => { x.version.Minor = '0'; }, /^\/version\/Minor: version\.Minor must be a non-negative integer/],
    ['version fraction', (x) => { x.version.Patch = 1.5; }, /^\/version\/Patch:/],
    ['instanceNameFormat missing', (x) => { delete x.instanceNameFormat; }, /^\/instanceNameFormat: instanceNameFormat is missing/],
    ['instanceNameFormat unknown input', (x) => { x.instanceNameFormat = 'Token $(scopes)'; }, /\$\(scopes\) is not an input/],
    ['required field', (x) => { delete x.author; }, /^\/author: "author" is required/],
    ['duplicate input', (x) => { x.inputs.push({ ...input(x, 'tokenUrl'), name: 'TokenUrl' }); }, /input name "TokenUrl" is already used by \/inputs\/\d+/],
    ['not camelCase', (x) => { input(x, 'tokenUrl').name = 'TokenUrl'; }, /input name "TokenUrl" is not camelCase/],
    ['undeclared group', (x) => { input(x, 'clientAuth').groupName = 'requests'; }, /groupName "requests" is not a declared group/],
    ['empty group', (x) => { x.groups.push({ name: 'unused', displayName: 'Unused' }); }, /group "unused" has no inputs/],
    ['pickList default', (x) => { input(x, 'clientAuth').defaultValue = 'client_secret_jwt'; }, /defaultValue "client_secret_jwt" is not one of the options/],
    ['pickList without options', (x) => { delete input(x, 'clientAuth').options; }, /pickList "clientAuth" has no options/],
    ['options on a string', (x) => { input(x, 'tokenUrl').options = { a: 'A' }; }, /options on a string input are ignored/],
    ['boolean default', (x) => { input(x, 'refresh').defaultValue = 'yes'; }, /boolean defaultValue must be "true" or "false"/],
    ['visibleRule unknown input', (x) => { input(x, 'maxLifetime').visibleRule = 'refreshing = true'; }, /refers to "refreshing", which is not an input/],
    ['visibleRule mixed', (x) => { input(x, 'maxLifetime').visibleRule = 'refresh = true && revoke = true || scope = x'; }, /mixes && and \|\|/],
    ['visibleRule boolean', (x) => { input(x, 'maxLifetime').visibleRule = 'refresh = yes'; }, /refresh is a boolean/],
    ['visibleRule option', (x) => { input(x, 'audience').visibleRule = 'clientAuth = client_secret_jwt'; }, /"client_secret_jwt" is not an option of clientAuth/],
    ['visibleRule syntax', (x) => { input(x, 'audience').visibleRule = 'clientAuth'; }, /is not "input operator value"/],
    ['visibleRule self', (x) => { input(x, 'audience').visibleRule = 'audience != x'; }, /refers to its own input/],
    ['output missing', (x) => { x.outputVariables.pop(); }, /output variable "STUDIO_TOKEN_EXPIRES_AT" is missing/],
    ['output extra', (x) => { x.outputVariables.push({ name: 'STUDIO_TOKEN_TYPE', description: 'x' }); }, /"STUDIO_TOKEN_TYPE" is not in the contract/],
    ['output description', (x) => { delete x.outputVariables[0].description; }, /"STUDIO_TOKEN" has no description/],
    ['misspelt section', (x) => { x.postJobExecution = x.postjobexecution; delete x.postjobexecution; }, /unknown property "postJobExecution"/],
    ['unknown handler', (x) => { x.execution.Node22 = { target: 'main.js' }; }, /^\/execution: unknown property "Node22"/],
    ['end-of-life handlers', (x) => { x.execution = { Node16: { target: 'main.js' } }; }, /only end-of-life handlers/],
    ['handler sets differ', (x) => { delete x.postjobexecution.Node24; }, /^\/postjobexecution: handlers \(Node20_1\) differ/],
    ['target outside', (x) => { x.execution.Node24.target = '../main.js'; }, /must be a path inside the task folder/],
    ['input type', (x) => { input(x, 'tokenUrl').type = 'text'; }, /"text" is not a documented input type/],
    ['friendlyName length', (x) => { x.friendlyName = 'x'.repeat(41); }, /^\/friendlyName: must NOT have more than 40 characters/],
  ];
  assert.deepEqual(problemsAfter(() => {}), []);
  for (const [name, change, pattern] of cases) {
    await t.test(name, () => assertProblem(problemsAfter(change), pattern));
  }
  await t.test('missing target file', () => {
    assertProblem(problemsAfter(() => {}, (f) => f !== 'post.js'), /^\/postjobexecution\/Node20_1\/target: target "post\.js" does not exist/);
  });
});

/** Stand-ins for the two publish outputs: enough for build-vsix.sh and the checks, in seconds. */
function fakePublishes() {
  const dir = tmp('publish');
  const aot = path.join(dir, 'aot');
  const portable = path.join(dir, 'portable');
  fs.mkdirSync(aot);
  fs.mkdirSync(path.join(portable, 'de'), { recursive: true });
  fs.writeFileSync(path.join(aot, 'studio-token'), Buffer.concat([Buffer.from('\x7fELF'), Buffer.alloc(1000)]), { mode: 0o755 });
  fs.writeFileSync(path.join(aot, 'studio-token.dbg'), 'symbols');
  fs.writeFileSync(path.join(aot, 'StudioToken.Core.pdb'), 'symbols');
  fs.writeFileSync(path.join(portable, 'studio-token.dll'), 'MZ');
  fs.writeFileSync(path.join(portable, 'studio-token.pdb'), 'symbols');
  fs.writeFileSync(path.join(portable, 'studio-token.deps.json'), '{}');
  fs.writeFileSync(path.join(portable, 'studio-token.runtimeconfig.json'), '{"runtimeOptions": {"rollForward": "LatestMajor"}}');
  fs.writeFileSync(path.join(portable, 'de', 'System.CommandLine.resources.dll'), 'MZ');
  return { dir, aot, portable };
}

function buildVsix(args, stage) {
  return run('bash', [path.join(here, 'build-vsix.sh'), ...args], { env: { ...process.env, STUDIO_TOKEN_VSIX_STAGE: stage } });
}

const haveTfx = fs.existsSync(path.join(here, 'node_modules', '.bin', 'tfx'));

test('build-vsix.sh packages the task, and check-task-json --vsix accepts it', { skip: !haveTfx && 'run npm ci in azure-task/' }, () => {
  const { dir, aot, portable } = fakePublishes();
  const stage = path.join(dir, 'stage');
  const vsix = path.join(dir, 'out', 'studio-token.vsix');
  const result = buildVsix(['--native-linux-x64', aot, '--portable', portable, '--out', vsix], stage);
  assert.equal(result.status, 0, result.stdout + result.stderr);
  assert.match(result.stdout, /studio-token\.vsix +\d+ bytes +\d+\.\d\d MB/);
  assert.match(result.stdout, /bin\/linux-x64\/studio-token +1004 bytes/);

  // The staged task: task.json without $schema, the shim, the binary alone, the portable build without symbols.
  const staged = JSON.parse(fs.readFileSync(path.join(stage, 'StudioToken', 'task.json'), 'utf8'));
  assert.equal(staged.$schema, undefined);
  assert.deepEqual(staged, (({ $schema, ...rest }) => rest)(rootTask));
  assert.deepEqual(fs.readdirSync(path.join(stage, 'StudioToken', 'bin', 'linux-x64')), ['studio-token']);
  assert.deepEqual(fs.readdirSync(path.join(stage, 'StudioToken', 'bin', 'portable')).sort(),
    ['de', 'studio-token', 'studio-token.cmd', 'studio-token.deps.json', 'studio-token.dll', 'studio-token.runtimeconfig.json']);
  const cmd = fs.readFileSync(path.join(stage, 'StudioToken', 'bin', 'portable', 'studio-token.cmd'), 'utf8');
  assert.ok(cmd.split('\n').slice(0, -1).every((l) => l.endsWith('\r')), 'the .cmd launcher has CRLF line ends');
  assert.match(cmd, /"%~dp0studio-token\.dll" %\*/);

  // The zip holds the same files.
  const zip = readZip(vsix);
  for (const name of ['extension.vsixmanifest', 'extension.vsomanifest', 'overview.md', 'StudioToken/task.json', 'StudioToken/run.js',
    'StudioToken/bin/linux-x64/studio-token', 'StudioToken/bin/portable/studio-token', 'StudioToken/bin/portable/studio-token.cmd']) {
    assert.ok(zip.has(name), `${name} is in the vsix`);
  }
  assert.ok(!zip.names().some((n) => /\.(pdb|dbg)$/.test(n)), 'no symbols in the vsix');

  const check = run(process.execPath, [path.join(here, 'check-task-json.js'), path.join(root, 'task.json'), '--vsix', vsix]);
  assert.equal(check.status, 0, check.stdout + check.stderr);
  assert.match(check.stdout, /^ok: .*studio-token\.vsix$/m);
});

test('the POSIX launcher finds its dll through symlinks and from any directory', () => {
  const dir = tmp('launcher');
  const portable = path.join(dir, 'real dir', 'portable');
  fs.mkdirSync(portable, { recursive: true });
  fs.copyFileSync(path.join(here, 'launchers', 'studio-token'), path.join(portable, 'studio-token'));
  fs.chmodSync(path.join(portable, 'studio-token'), 0o755);
  const fakeDotnet = path.join(dir, 'dotnet');
  fs.writeFileSync(fakeDotnet, '#!/bin/sh\nfor a in "$@"; do printf "%s\\n" "$a"; done\n', { mode: 0o755 });
  fs.mkdirSync(path.join(dir, 'bin'));
  fs.symlinkSync(path.join('..', 'real dir', 'portable', 'studio-token'), path.join(dir, 'bin', 'studio-token'));
  fs.symlinkSync(path.join(dir, 'bin', 'studio-token'), path.join(dir, 'link-to-link'));
  const env = { ...process.env, STUDIO_TOKEN_DOTNET: fakeDotnet, PATH: `${path.join(dir, 'bin')}:${process.env.PATH}`, CDPATH: '/' };
  const expected = `${fs.realpathSync(portable)}/studio-token.dll\nget\n--min-valid\n5 m\n`;
  for (const [file, cwd] of [[path.join(portable, 'studio-token'), '/'], ['studio-token', '/'], [path.join(dir, 'link-to-link'), os.tmpdir()]]) {
    const result = run(file, ['get', '--min-valid', '5 m'], { env, cwd });
    assert.equal(result.status, 0, `${file}: ${result.stderr}`);
    assert.equal(result.stdout, expected, file);
  }
  const viaSh = run('sh', ['studio-token', 'get'], { env, cwd: portable });
  assert.equal(viaSh.stdout, `${fs.realpathSync(portable)}/studio-token.dll\nget\n`);
});

test('build-vsix.sh fails loudly on missing or wrong inputs', () => {
  const { dir, aot, portable } = fakePublishes();
  const stage = path.join(dir, 'stage');
  const out = path.join(dir, 'x.vsix');
  const missing = buildVsix(['--native-linux-x64', path.join(dir, 'nope'), '--portable', portable, '--out', out], stage);
  assert.notEqual(missing.status, 0);
  assert.match(missing.stderr, /--native-linux-x64: no such directory/);
  fs.writeFileSync(path.join(aot, 'studio-token'), '#!/bin/sh\n');
  const notElf = buildVsix(['--native-linux-x64', aot, '--portable', portable, '--out', out], stage);
  assert.notEqual(notElf.status, 0);
  assert.match(notElf.stderr, /is not an ELF executable/);
  fs.rmSync(path.join(portable, 'studio-token.dll'));
  const noDll = buildVsix(['--native-linux-x64', aot, '--portable', portable, '--out', out], stage);
  assert.notEqual(noDll.status, 0);
  const usage = buildVsix(['--portable', portable], stage);
  assert.notEqual(usage.status, 0);
  assert.match(usage.stderr, /usage:/);
  assert.ok(!fs.existsSync(out));
});

test('check-task-json --vsix reports what a bad package lacks', { skip: !haveTfx && 'run npm ci in azure-task/' }, () => {
  const dir = tmp('badvsix');
  const stage = path.join(dir, 'stage');
  fs.mkdirSync(path.join(stage, 'StudioToken', 'bin', 'portable'), { recursive: true });
  fs.copyFileSync(path.join(here, 'vss-extension.json'), path.join(stage, 'vss-extension.json'));
  fs.copyFileSync(path.join(here, 'overview.md'), path.join(stage, 'overview.md'));
  fs.copyFileSync(path.join(root, 'task.json'), path.join(stage, 'StudioToken', 'task.json')); // still has $schema
  fs.copyFileSync(path.join(here, 'StudioToken', 'main.js'), path.join(stage, 'StudioToken', 'main.js')); // no post.js
  fs.writeFileSync(path.join(stage, 'StudioToken', 'bin', 'portable', 'studio-token.dll'), 'MZ');
  fs.writeFileSync(path.join(stage, 'StudioToken', 'bin', 'portable', 'studio-token.pdb'), 'symbols');
  const vsix = path.join(dir, 'bad.vsix');
  const tfx = run(path.join(here, 'node_modules', '.bin', 'tfx'),
    ['extension', 'create', '--root', stage, '--manifest-globs', 'vss-extension.json', '--output-path', vsix, '--no-prompt', '--no-color'],
    { env: { ...process.env, HOME: dir } });
  assert.equal(tfx.status, 0, tfx.stdout + tfx.stderr);
  const check = run(process.execPath, [path.join(here, 'check-task-json.js'), '--vsix', vsix]);
  assert.equal(check.status, 1, check.stdout + check.stderr);
  for (const pattern of [
    /bad\.vsix!StudioToken\/task\.json: \/\$schema: the packaged task\.json still has the editor-only "\$schema" key/,
    /bad\.vsix!StudioToken\/task\.json: \/postjobexecution\/Node20_1\/target: target "post\.js" does not exist/,
    /bad\.vsix!StudioToken\/bin\/linux-x64\/studio-token: \/: missing/,
    /bad\.vsix!StudioToken\/bin\/portable\/studio-token\.cmd: \/: missing/,
    /bad\.vsix!StudioToken\/bin\/portable\/studio-token\.pdb: \/: debug symbols/,
  ]) {
    assert.match(check.stdout, pattern);
  }
});

test('the extension manifest declares what the .NET side reads', () => {
  const { checkExtension } = require('../check-task-json');
  const manifest = JSON.parse(fs.readFileSync(path.join(here, 'vss-extension.json'), 'utf8'));
  assert.deepEqual(checkExtension(manifest, rootTask, null), []);
  const broken = structuredClone(manifest);
  const endpoint = broken.contributions.find((c) => c.type === 'ms.vss-endpoint.service-endpoint-type');
  endpoint.properties.inputDescriptors = endpoint.properties.inputDescriptors.filter((d) => d.id !== 'revocationUrl');
  endpoint.properties.authenticationSchemes[0].inputDescriptors[1].isConfidential = false;
  const problems = checkExtension(broken, rootTask, null).map((p) => p.message);
  assertProblem(problems, /no "revocationUrl" input \(the task reads ENDPOINT_DATA_<id>_REVOCATIONURL\)/);
  assertProblem(problems, /must be isConfidential/);
  endpoint.properties.name = 'studio-oauth2';
  assertProblem(checkExtension(broken, rootTask, null).map((p) => p.message), /no ms\.vss-endpoint\.service-endpoint-type named "studio-oauth"/);
});
