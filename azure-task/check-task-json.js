#!/usr/bin/env node
'use strict';
// Checks the Azure Pipelines task manifest: JSON Schema validation (azure-task/task.schema.json, ours: no npm package
// ships Microsoft's tasks.schema.json) plus the checks a schema cannot express, and the same for the task.json inside
// a built .vsix together with what the extension manifest promises the .NET side.
//
//   node azure-task/check-task-json.js task.json [TASK_FOLDER]
//   node azure-task/check-task-json.js [task.json [TASK_FOLDER]] --vsix FILE.vsix
//
// Prints one line per problem ("<where>: <json pointer>: <problem>") and exits 1 when there is any, 2 on a usage or
// read error, 0 with one "ok" line per checked manifest otherwise.
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');
const Ajv = require('ajv');

/** The output variables the task promises (README, action.yml and the .NET side use the same names). */
const OUTPUT_VARIABLES = ['STUDIO_TOKEN', 'STUDIO_TOKEN_FILE', 'STUDIO_TOKEN_EXPIRES_AT'];
/** What the .NET side reads from the service connection: ENDPOINT_URL_<id>, ENDPOINT_AUTH_PARAMETER_<id>_USERNAME /
 * _PASSWORD, ENDPOINT_DATA_<id>_SCOPE / _REVOCATIONURL. */
const ENDPOINT_AUTH_INPUTS = ['username', 'password'];
const ENDPOINT_DATA_INPUTS = ['scope', 'revocationUrl'];
const BASIC_SCHEME = 'ms.vss-endpoint.endpoint-auth-scheme-basic';
const TASK_CONTRIBUTION = 'ms.vss-distributed-task.task';
const ENDPOINT_CONTRIBUTION = 'ms.vss-endpoint.service-endpoint-type';
/** Connection types Azure DevOps itself provides: no extension contributes them (AzureRM: the azure_oidc connection). */
const BUILT_IN_ENDPOINT_TYPES = ['AzureRM'];
const EXECUTION_KEYS = ['prejobexecution', 'execution', 'postjobexecution'];
const DEPRECATED_HANDLERS = ['Node', 'Node10', 'Node16'];
const GUID = /^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$/;
const RULE_OPERATORS = ['==', '!=', '<=', '>=', '=', '<', '>'];
const RULE_WORD_OPERATORS = ['NotContains', 'NotStartsWith', 'NotEndsWith', 'Contains', 'StartsWith', 'EndsWith'];

const schemaPath = path.join(__dirname, 'task.schema.json');

function main(argv) {
  const positional = [];
  let vsix = null;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--vsix') {
      vsix = argv[++i];
      if (!vsix) return usage('--vsix needs a file');
    } else if (argv[i] === '-h' || argv[i] === '--help') {
      return usage();
    } else if (argv[i].startsWith('-')) {
      return usage(`unknown option ${argv[i]}`);
    } else {
      positional.push(argv[i]);
    }
  }
  if (positional.length > 2 || (positional.length === 0 && !vsix)) return usage();
  const [taskJsonPath, taskFolder] = positional;

  const validate = compileSchema();
  const problems = [];
  const oks = [];
  let rootTask = null;
  try {
    if (taskJsonPath) {
      rootTask = readJson(fs.readFileSync(taskJsonPath, 'utf8'), taskJsonPath);
      const where = taskJsonPath;
      const files = taskFolder ? folderFiles(taskFolder) : null;
      if (taskFolder && !fs.statSync(taskFolder, { throwIfNoEntry: false })?.isDirectory()) {
        throw new Error(`${taskFolder}: no such task folder`);
      }
      const found = checkTask(rootTask, validate, files);
      const manifestPath = path.join(__dirname, 'vss-extension.json');
      if (fs.existsSync(manifestPath)) {
        found.push(...checkExtension(readJson(fs.readFileSync(manifestPath, 'utf8'), manifestPath), rootTask, null)
          .map((p) => ({ ...p, where: manifestPath })));
      }
      problems.push(...found.map((p) => ({ where, ...p })));
      if (!found.length) oks.push(`ok: ${where}${taskFolder ? ` (targets found in ${taskFolder})` : ''}`);
    }
    if (vsix) {
      const found = checkVsix(vsix, validate, rootTask);
      problems.push(...found);
      if (!found.length) oks.push(`ok: ${vsix}`);
    }
  } catch (err) {
    process.stderr.write(`check-task-json: ${err.message}\n`);
    return 2;
  }
  for (const p of problems) {
    process.stdout.write(`${p.where}: ${p.path || '/'}: ${p.message}\n`);
  }
  for (const ok of oks) process.stdout.write(`${ok}\n`);
  return problems.length ? 1 : 0;
}

function usage(message) {
  if (message) process.stderr.write(`check-task-json: ${message}\n`);
  process.stderr.write('usage: node azure-task/check-task-json.js task.json [TASK_FOLDER] [--vsix FILE.vsix]\n');
  return 2;
}

function readJson(text, where) {
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new Error(`${where}: not valid JSON: ${err.message}`);
  }
}

function compileSchema() {
  const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false });
  return ajv.compile(readJson(fs.readFileSync(schemaPath, 'utf8'), schemaPath));
}

/** A predicate "does this relative path exist" over a folder on disk. */
function folderFiles(folder) {
  return (relative) => fs.existsSync(path.join(folder, relative));
}

/**
 * All problems with one task manifest: the semantic checks and the schema's errors. `exists(relativePath)` answers whether a
 * file exists in the task folder, or is null when no folder was given (targets are then not checked).
 */
function checkTask(task, validate, exists) {
  const problems = [];
  const add = (pointer, message) => problems.push({ path: pointer, message });

  if (!task || typeof task !== 'object' || Array.isArray(task)) {
    add('', 'a task manifest is a JSON object');
    return problems;
  }

  // Identity. The schema says the same; these keep the messages plain and hold even if the schema is loosened, and
  // the schema's errors for these fields are then left out.
  const semantic = new Set(['/id', '/name', '/version/Major', '/version/Minor', '/version/Patch', '/instanceNameFormat']);
  if (typeof task.id !== 'string' || !GUID.test(task.id)) add('/id', `id must be a GUID (it is ${JSON.stringify(task.id)})`);
  if (typeof task.name !== 'string' || !/^[A-Za-z0-9-]+$/.test(task.name)) add('/name', `name must match /^[A-Za-z0-9\\-]+$/ (it is ${JSON.stringify(task.name)})`);
  for (const part of ['Major', 'Minor', 'Patch']) {
    const value = task.version && task.version[part];
    if (!Number.isInteger(value) || value < 0) add(`/version/${part}`, `version.${part} must be a non-negative integer (it is ${JSON.stringify(value)})`);
  }
  if (typeof task.instanceNameFormat !== 'string' || !task.instanceNameFormat.trim()) {
    add('/instanceNameFormat', 'instanceNameFormat is missing or blank');
  }

  if (!validate(task)) {
    for (const err of validate.errors) {
      // anyOf reports each failed branch and then itself: keep the summary only.
      if (/\/anyOf\/\d+\//.test(err.schemaPath)) continue;
      const pointer = err.keyword === 'required' ? `${err.instancePath}/${err.params.missingProperty}` : err.instancePath;
      if (semantic.has(pointer)) continue;
      let message = err.message;
      if (err.keyword === 'additionalProperties') message = `unknown property "${err.params.additionalProperty}"`;
      else if (err.keyword === 'anyOf') message = `${JSON.stringify(valueAt(task, err.instancePath))} is not a documented input type nor connectedService:NAME`;
      else if (err.keyword === 'enum') message = `${message}: ${err.params.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
      else if (err.keyword === 'required') message = `"${err.params.missingProperty}" is required`;
      add(err.keyword === 'required' ? pointer : err.instancePath, message);
    }
  }

  const inputs = Array.isArray(task.inputs) ? task.inputs.filter((i) => i && typeof i === 'object') : [];
  const groups = Array.isArray(task.groups) ? task.groups.filter((g) => g && typeof g === 'object') : [];
  const inputByName = new Map();
  const seenNames = new Map(); // upper-cased: the agent passes inputs as INPUT_<NAME> environment variables

  inputs.forEach((input, i) => {
    const where = `/inputs/${i}`;
    const names = [input.name, ...(Array.isArray(input.aliases) ? input.aliases : [])];
    names.forEach((name, k) => {
      if (typeof name !== 'string') return;
      const kind = k === 0 ? 'input' : 'alias';
      if (!/^[a-z][A-Za-z0-9]*$/.test(name)) add(where, `${kind} name "${name}" is not camelCase`);
      const key = name.toUpperCase();
      if (seenNames.has(key)) add(where, `${kind} name "${name}" is already used by ${seenNames.get(key)} (names are compared case-insensitively: INPUT_${key})`);
      else seenNames.set(key, `${where} ("${name}")`);
    });
    if (typeof input.name === 'string' && !inputByName.has(input.name)) inputByName.set(input.name, input);
  });

  // Groups: unique, referenced, and every reference declared.
  const groupNames = new Set();
  groups.forEach((group, i) => {
    if (typeof group.name !== 'string') return;
    if (groupNames.has(group.name)) add(`/groups/${i}`, `group name "${group.name}" is declared twice`);
    groupNames.add(group.name);
  });
  const usedGroups = new Set();
  inputs.forEach((input, i) => {
    if (input.groupName === undefined) return;
    usedGroups.add(input.groupName);
    if (!groupNames.has(input.groupName)) add(`/inputs/${i}/groupName`, `groupName "${input.groupName}" is not a declared group`);
  });
  groups.forEach((group, i) => {
    if (typeof group.name === 'string' && !usedGroups.has(group.name)) add(`/groups/${i}`, `group "${group.name}" has no inputs`);
  });

  // Options, defaults and visible rules.
  const boundTargets = new Set((Array.isArray(task.dataSourceBindings) ? task.dataSourceBindings : []).map((b) => b && b.target));
  inputs.forEach((input, i) => {
    const where = `/inputs/${i}`;
    const type = input.type;
    const hasOptions = input.options && typeof input.options === 'object' && Object.keys(input.options).length > 0;
    const editable = input.properties && input.properties.EditableOptions === 'True';
    if (input.properties && input.properties.EditableOptions !== undefined && !['True', 'False'].includes(input.properties.EditableOptions)) {
      add(`${where}/properties/EditableOptions`, 'EditableOptions must be "True" or "False"');
    }
    if (type === 'pickList' || type === 'radio') {
      if (!hasOptions && !boundTargets.has(input.name) && !editable) add(where, `${type} "${input.name}" has no options (and no dataSourceBinding or EditableOptions)`);
      if (hasOptions && !editable && input.defaultValue !== undefined && input.defaultValue !== '' && !Object.hasOwn(input.options, String(input.defaultValue))) {
        add(`${where}/defaultValue`, `defaultValue "${input.defaultValue}" is not one of the options: ${Object.keys(input.options).join(', ')}`);
      }
      if (type === 'radio' && input.defaultValue === undefined) add(where, `radio "${input.name}" has no defaultValue`);
    } else if (input.options !== undefined) {
      add(`${where}/options`, `options on a ${type} input are ignored (only pickList and radio have options)`);
    }
    if (type === 'boolean' && input.defaultValue !== undefined && !['true', 'false'].includes(String(input.defaultValue).toLowerCase())) {
      add(`${where}/defaultValue`, `boolean defaultValue must be "true" or "false" (it is ${JSON.stringify(input.defaultValue)})`);
    }
    if (typeof input.visibleRule === 'string') checkRule(input.visibleRule, `${where}/visibleRule`, inputByName, input.name, add);
  });
  groups.forEach((group, i) => {
    if (typeof group.visibleRule === 'string') checkRule(group.visibleRule, `/groups/${i}/visibleRule`, inputByName, null, add);
  });
  (Array.isArray(task.dataSourceBindings) ? task.dataSourceBindings : []).forEach((binding, i) => {
    if (binding && binding.target !== undefined && !inputByName.has(binding.target)) add(`/dataSourceBindings/${i}/target`, `target "${binding.target}" is not an input`);
  });

  // instanceNameFormat may only use inputs.
  if (typeof task.instanceNameFormat === 'string') {
    for (const m of task.instanceNameFormat.matchAll(/\$\(([^)]*)\)/g)) {
      if (!inputByName.has(m[1])) add('/instanceNameFormat', `$(${m[1]}) is not an input`);
    }
  }

  // Output variables: exactly the contract's.
  const outputs = Array.isArray(task.outputVariables) ? task.outputVariables : [];
  const outputNames = outputs.map((o) => o && o.name);
  outputs.forEach((o, i) => {
    if (!o || typeof o.name !== 'string') return;
    if (!OUTPUT_VARIABLES.includes(o.name)) add(`/outputVariables/${i}`, `output variable "${o.name}" is not in the contract (${OUTPUT_VARIABLES.join(', ')})`);
    if (outputNames.indexOf(o.name) !== i) add(`/outputVariables/${i}`, `output variable "${o.name}" is declared twice`);
    if (typeof o.description !== 'string' || !o.description.trim()) add(`/outputVariables/${i}`, `output variable "${o.name}" has no description`);
  });
  for (const name of OUTPUT_VARIABLES) {
    if (!outputNames.includes(name)) add('/outputVariables', `output variable "${name}" is missing`);
  }

  // Handlers and their target files.
  const handlerSets = {};
  for (const key of EXECUTION_KEYS) {
    const section = task[key];
    if (section === undefined) continue;
    if (!section || typeof section !== 'object' || Array.isArray(section)) continue; // the schema reported it
    const handlers = Object.keys(section);
    handlerSets[key] = handlers.slice().sort().join(',');
    if (handlers.length && handlers.every((h) => DEPRECATED_HANDLERS.includes(h))) {
      add(`/${key}`, `only end-of-life handlers (${handlers.join(', ')}): add Node20_1 or Node24`);
    }
    for (const handler of handlers) {
      const target = section[handler] && section[handler].target;
      if (typeof target !== 'string' || !target) continue; // the schema reported it
      const relative = target.replace(/\$\(\s*currentDirectory\s*\)[\\/]?/i, '').replace(/\\/g, '/');
      if (/\$\(/.test(relative)) continue; // another variable: cannot be checked here
      if (path.posix.isAbsolute(relative) || relative.split('/').includes('..')) {
        add(`/${key}/${handler}/target`, `target "${target}" must be a path inside the task folder`);
      } else if (exists && !exists(path.posix.normalize(relative))) {
        add(`/${key}/${handler}/target`, `target "${target}" does not exist in the task folder`);
      }
    }
  }
  for (const key of ['prejobexecution', 'postjobexecution']) {
    if (handlerSets[key] !== undefined && handlerSets.execution !== undefined && handlerSets[key] !== handlerSets.execution) {
      add(`/${key}`, `handlers (${handlerSets[key]}) differ from execution's (${handlerSets.execution}): the agent may run the steps on different Node versions`);
    }
  }
  return problems;
}

/** A visibleRule: conditions joined by all-&& or all-||, each "input op value" over a declared input. */
function checkRule(rule, pointer, inputByName, self, add) {
  if (rule.includes('&&') && rule.includes('||')) {
    add(pointer, `"${rule}" mixes && and || (the editor evaluates only one kind per rule)`);
  }
  for (const raw of rule.split(/&&|\|\|/)) {
    const condition = raw.trim();
    const word = condition.match(new RegExp(`^([A-Za-z][A-Za-z0-9_.]*)\\s+(${RULE_WORD_OPERATORS.join('|')})\\s+(.*)$`));
    const symbol = condition.match(/^([A-Za-z][A-Za-z0-9_.]*)\s*(==|!=|<=|>=|=|<|>)\s*(.*)$/);
    const m = word || symbol;
    if (!m) {
      add(pointer, `"${condition}" is not "input operator value" (operators: ${[...RULE_OPERATORS, ...RULE_WORD_OPERATORS].join(' ')})`);
      continue;
    }
    const [, name, operator, value] = m;
    const target = inputByName.get(name);
    if (!target) {
      add(pointer, `"${condition}" refers to "${name}", which is not an input`);
      continue;
    }
    if (name === self) add(pointer, `"${condition}" refers to its own input`);
    if (!value.trim()) add(pointer, `"${condition}" has no value`);
    const equality = operator === '=' || operator === '==' || operator === '!=';
    if (target.type === 'boolean' && (!equality || !['true', 'false'].includes(value.trim().toLowerCase()))) {
      add(pointer, `"${condition}": ${name} is a boolean: compare it with = true, = false or != ...`);
    }
    const editable = target.properties && target.properties.EditableOptions === 'True';
    if ((target.type === 'pickList' || target.type === 'radio') && target.options && !editable && equality && !Object.hasOwn(target.options, value.trim())) {
      add(pointer, `"${condition}": "${value.trim()}" is not an option of ${name} (${Object.keys(target.options).join(', ')})`);
    }
  }
}

/**
 * The extension manifest as the .NET side and the task rely on it: the task contribution, and the Studio OAuth
 * endpoint type with the ids behind ENDPOINT_URL_<id>, ENDPOINT_AUTH_PARAMETER_<id>_USERNAME/_PASSWORD and
 * ENDPOINT_DATA_<id>_SCOPE/_REVOCATIONURL. `taskFolder` is the folder the task.json came from in a vsix, or null.
 */
function checkExtension(manifest, task, taskFolder) {
  const problems = [];
  const add = (pointer, message) => problems.push({ path: pointer, message });
  const contributions = Array.isArray(manifest.contributions) ? manifest.contributions : [];
  const tasks = contributions.map((c, i) => [c, i]).filter(([c]) => c && c.type === TASK_CONTRIBUTION);
  if (!tasks.length) add('/contributions', `no ${TASK_CONTRIBUTION} contribution`);
  for (const [c, i] of tasks) {
    if (!c.properties || typeof c.properties.name !== 'string') add(`/contributions/${i}/properties/name`, 'a task contribution needs properties.name, its task folder');
    else if (taskFolder !== null && c.properties.name !== taskFolder) add(`/contributions/${i}/properties/name`, `task folder "${c.properties.name}" is not "${taskFolder}"`);
    if (!Array.isArray(c.targets) || !c.targets.includes('ms.vss-distributed-task.tasks')) add(`/contributions/${i}/targets`, 'a task contribution targets ms.vss-distributed-task.tasks');
  }
  const endpointTypes = new Map();
  contributions.forEach((c, i) => {
    if (c && c.type === ENDPOINT_CONTRIBUTION && c.properties && typeof c.properties.name === 'string') endpointTypes.set(c.properties.name, [c, i]);
  });
  const wanted = new Set();
  for (const input of Array.isArray(task && task.inputs) ? task.inputs : []) {
    const m = input && typeof input.type === 'string' && input.type.match(/^connectedService:([^:]+)/);
    if (m && !BUILT_IN_ENDPOINT_TYPES.includes(m[1])) wanted.add(m[1]);
  }
  for (const name of wanted) {
    const found = endpointTypes.get(name);
    if (!found) {
      add('/contributions', `no ${ENDPOINT_CONTRIBUTION} named "${name}", which the task's connectedService:${name} input needs`);
      continue;
    }
    const [c, i] = found;
    const where = `/contributions/${i}/properties`;
    const p = c.properties;
    if (!Array.isArray(c.targets) || !c.targets.includes('ms.vss-endpoint.endpoint-types')) add(`/contributions/${i}/targets`, 'an endpoint type targets ms.vss-endpoint.endpoint-types');
    if (!p.url || typeof p.url !== 'object' || String(p.url.isVisible) !== 'true') add(`${where}/url`, 'the token URL must be an input the user sees (url.isVisible "true")');
    const schemes = Array.isArray(p.authenticationSchemes) ? p.authenticationSchemes : [];
    const basic = schemes.find((s) => s && s.type === BASIC_SCHEME);
    if (!basic) add(`${where}/authenticationSchemes`, `no ${BASIC_SCHEME} scheme`);
    else {
      const ids = (Array.isArray(basic.inputDescriptors) ? basic.inputDescriptors : []).map((d) => d && d.id);
      for (const id of ENDPOINT_AUTH_INPUTS) if (!ids.includes(id)) add(`${where}/authenticationSchemes`, `the basic scheme has no "${id}" input (the task reads ENDPOINT_AUTH_PARAMETER_<id>_${id.toUpperCase()})`);
      const password = basic.inputDescriptors.find((d) => d && d.id === 'password');
      if (password && password.isConfidential !== true) add(`${where}/authenticationSchemes`, 'the client secret ("password") must be isConfidential');
    }
    if (schemes.length !== 1) add(`${where}/authenticationSchemes`, `${schemes.length} schemes: the task reads only the basic scheme's parameters`);
    const dataIds = (Array.isArray(p.inputDescriptors) ? p.inputDescriptors : []).map((d) => d && d.id);
    for (const id of ENDPOINT_DATA_INPUTS) if (!dataIds.includes(id)) add(`${where}/inputDescriptors`, `no "${id}" input (the task reads ENDPOINT_DATA_<id>_${id.toUpperCase()})`);
    for (const d of Array.isArray(p.inputDescriptors) ? p.inputDescriptors : []) {
      if (d && ENDPOINT_DATA_INPUTS.includes(d.id) && d.validation && d.validation.isRequired) add(`${where}/inputDescriptors`, `"${d.id}" must be optional`);
    }
  }
  return problems;
}

/** The task.json inside a built .vsix, the files it needs, and the packaged extension manifest. */
function checkVsix(file, validate, rootTask) {
  const zip = readZip(file);
  const problems = [];
  const add = (where, pointer, message) => problems.push({ where, path: pointer, message });
  for (const name of ['[Content_Types].xml', 'extension.vsixmanifest', 'extension.vsomanifest']) {
    if (!zip.has(name)) add(file, '/', `${name} is missing`);
  }
  if (!zip.has('extension.vsomanifest')) return problems;
  const manifestWhere = `${file}!extension.vsomanifest`;
  const manifest = readJson(zip.read('extension.vsomanifest').toString('utf8'), manifestWhere);
  const folders = (Array.isArray(manifest.contributions) ? manifest.contributions : [])
    .filter((c) => c && c.type === TASK_CONTRIBUTION && c.properties && typeof c.properties.name === 'string')
    .map((c) => c.properties.name.replace(/\\/g, '/').replace(/\/+$/, ''));
  if (!folders.length) add(manifestWhere, '/contributions', `no ${TASK_CONTRIBUTION} contribution`);
  for (const folder of folders) {
    const where = `${file}!${folder}/task.json`;
    const data = zip.read(`${folder}/task.json`);
    if (!data) {
      add(where, '/', 'missing');
      continue;
    }
    const task = readJson(data.toString('utf8'), where);
    const found = checkTask(task, validate, (relative) => zip.has(`${folder}/${relative}`));
    for (const p of found) add(where, p.path, p.message);
    if (Object.hasOwn(task, '$schema')) add(where, '/$schema', 'the packaged task.json still has the editor-only "$schema" key');
    if (rootTask) {
      const expected = { ...rootTask };
      delete expected.$schema;
      if (JSON.stringify(expected) !== JSON.stringify(task)) add(where, '/', 'differs from the task.json it was checked with (rebuild the vsix)');
    }
    for (const needed of ['bin/linux-x64/studio-token', 'bin/portable/studio-token.dll', 'bin/portable/studio-token.runtimeconfig.json',
      'bin/portable/studio-token.deps.json', 'bin/portable/studio-token', 'bin/portable/studio-token.cmd']) {
      if (!zip.has(`${folder}/${needed}`)) add(`${file}!${folder}/${needed}`, '/', 'missing');
    }
    for (const name of zip.names()) {
      if (name.startsWith(`${folder}/`) && /\.(pdb|dbg)$/i.test(name)) add(`${file}!${name}`, '/', 'debug symbols do not belong in the task');
    }
    for (const p of checkExtension(manifest, task, folder)) add(manifestWhere, p.path, p.message);
  }
  return problems;
}

/** A small reader for the zip files tfx writes (no zip64, stored or deflated entries). */
function readZip(file) {
  const buf = fs.readFileSync(file);
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error(`${file}: not a zip file`);
  const count = buf.readUInt16LE(eocd + 10);
  const cdOffset = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdOffset === 0xffffffff) throw new Error(`${file}: zip64 archives are not supported`);
  const entries = new Map();
  let p = cdOffset;
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error(`${file}: damaged central directory`);
    const nameLength = buf.readUInt16LE(p + 28);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLength);
    entries.set(name, {
      method: buf.readUInt16LE(p + 10),
      crc: buf.readUInt32LE(p + 16),
      compressedSize: buf.readUInt32LE(p + 20),
      size: buf.readUInt32LE(p + 24),
      offset: buf.readUInt32LE(p + 42),
    });
    p += 46 + nameLength + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
  }
  return {
    has: (name) => entries.has(name),
    names: () => [...entries.keys()],
    read(name) {
      const e = entries.get(name);
      if (!e) return null;
      if (buf.readUInt32LE(e.offset) !== 0x04034b50) throw new Error(`${file}: damaged entry ${name}`);
      const start = e.offset + 30 + buf.readUInt16LE(e.offset + 26) + buf.readUInt16LE(e.offset + 28);
      const raw = buf.subarray(start, start + e.compressedSize);
      let data;
      if (e.method === 0) data = raw;
      else if (e.method === 8) data = zlib.inflateRawSync(raw);
      else throw new Error(`${file}: ${name} uses compression method ${e.method}`);
      if (data.length !== e.size || (typeof zlib.crc32 === 'function' && zlib.crc32(data) >>> 0 !== e.crc)) {
        throw new Error(`${file}: ${name} is damaged (size or CRC mismatch)`);
      }
      return data;
    },
  };
}

function valueAt(obj, pointer) {
  return pointer.split('/').slice(1).reduce((o, k) => (o == null ? o : o[k.replace(/~1/g, '/').replace(/~0/g, '~')]), obj);
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}

module.exports = { checkTask, checkExtension, readZip, compileSchema };
