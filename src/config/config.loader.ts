// Builds the validated KilnConfig from config/default.yaml, config/<env>.yaml, a .env
// file and the environment, in that order of precedence (last wins).
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { plainToInstance } from 'class-transformer';
import { ValidationError, validateSync } from 'class-validator';
import { parse as parseDotenv } from 'dotenv';
import { parse as parseYaml } from 'yaml';
import { EnvBinding, envBindings } from './env.decorator';
import { withCurrentKeys } from './former-config-keys';
import { KilnConfig } from './kiln.config';
import { renameSections, renameVariables } from './renamed-settings';
import { DEFAULT_JWT_SECRET } from './sections/auth.config';

/** config/ at the repository root, both from src/ (tests) and from dist/ (build). */
export const DEFAULT_CONFIG_DIR = resolve(__dirname, '..', '..', 'config');

export interface LoadConfigOptions {
  env?: NodeJS.ProcessEnv;
  configDir?: string;
  /** A .env file whose values apply where the environment has none; skipped if absent. */
  dotenvPath?: string | null;
}

/** A config problem, named by the env variable (and YAML key) a user would change. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

type Tree = Record<string, unknown>;

/** Variables the loader itself reads, besides those bound to config keys. */
export const LOADER_VARIABLES = ['KILN_CONFIG_FILE'] as const;

export function loadConfig(options: LoadConfigOptions = {}): KilnConfig {
  const configDir = options.configDir ?? DEFAULT_CONFIG_DIR;
  const deprecations: string[] = [];
  const env = renameVariables(
    withDotenv(options.env ?? process.env, options.dotenvPath),
    deprecations,
  );
  const nodeEnv = env.NODE_ENV || 'development';
  const settingsFile = (path: string, read = readYaml) => read(path, deprecations);
  let tree = deepMerge(
    settingsFile(join(configDir, 'default.yaml')),
    settingsFile(join(configDir, `${nodeEnv}.yaml`)),
  );
  // An operator's own file (a mounted ConfigMap, say) for what variables cannot hold,
  // such as the list of queues; it overrides the YAML files, and variables override it.
  if (env.KILN_CONFIG_FILE)
    tree = deepMerge(tree, settingsFile(env.KILN_CONFIG_FILE, readOperatorFile));
  const bindings = envBindings(KilnConfig);
  applyEnvOverrides(tree, env, bindings);
  const config = plainToInstance(KilnConfig, tree);
  const errors = validateSync(config, { whitelist: true, forbidNonWhitelisted: true });
  const problems = errors.flatMap((error) => describe(error, '', bindings));
  problems.push(...productionProblems(config), ...queueProblems(config));
  if (problems.length > 0) throw new ConfigError(problems);
  config.sourceFiles = sourceFilesOf(env, options.dotenvPath);
  config.deprecations = deprecations;
  return config;
}

/** The files besides config/ that settings came from, resolved to absolute paths. */
function sourceFilesOf(env: NodeJS.ProcessEnv, dotenvPath?: string | null): string[] {
  const dotenv = dotenvPath === undefined ? resolve(process.cwd(), '.env') : dotenvPath;
  return [env.KILN_CONFIG_FILE, dotenv ?? undefined]
    .filter((path): path is string => Boolean(path) && existsSync(path!))
    .map((path) => resolve(path));
}

function withDotenv(env: NodeJS.ProcessEnv, dotenvPath?: string | null): NodeJS.ProcessEnv {
  const path = dotenvPath === undefined ? resolve(process.cwd(), '.env') : dotenvPath;
  if (!path || !existsSync(path)) return env;
  return { ...parseDotenv(readFileSync(path)), ...env };
}

function readOperatorFile(path: string, deprecations: string[]): Tree {
  if (!existsSync(path)) {
    throw new ConfigError([`KILN_CONFIG_FILE: ${path} does not exist`]);
  }
  return readYaml(path, deprecations);
}

/** The file's settings under their current keys; notices of former keys go to `deprecations`. */
function readYaml(path: string, deprecations: string[]): Tree {
  if (!existsSync(path)) return {};
  const parsed: unknown = parseYaml(readFileSync(path, 'utf8'));
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError([`${path}: must hold a mapping of keys to values`]);
  }
  return withCurrentKeys(renameSections(parsed as Tree, path, deprecations), path, deprecations);
}

function deepMerge(base: Tree, override: Tree): Tree {
  const merged: Tree = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const current = merged[key];
    merged[key] = isTree(current) && isTree(value) ? deepMerge(current, value) : value;
  }
  return merged;
}

function isTree(value: unknown): value is Tree {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function applyEnvOverrides(tree: Tree, env: NodeJS.ProcessEnv, bindings: EnvBinding[]): void {
  for (const binding of bindings) {
    const raw = env[binding.variable];
    if (raw === undefined) continue;
    setPath(tree, binding.path, convert(raw, binding.kind));
  }
}

function convert(raw: string, kind: EnvBinding['kind']): unknown {
  const text = raw.trim();
  switch (kind) {
    case 'number':
      // Leave non-numeric text as is so validation reports it rather than NaN.
      return text !== '' && Number.isFinite(Number(text)) ? Number(text) : text;
    case 'boolean':
      if (['true', '1', 'yes', 'on'].includes(text.toLowerCase())) return true;
      if (['false', '0', 'no', 'off'].includes(text.toLowerCase())) return false;
      return text;
    case 'string[]':
      return text === '' ? [] : text.split(',').map((item) => item.trim());
    default:
      return raw;
  }
}

function setPath(tree: Tree, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = tree;
  for (const key of keys.slice(0, -1)) {
    if (!isTree(node[key])) node[key] = {};
    node = node[key] as Tree;
  }
  node[keys[keys.length - 1]] = value;
}

function describe(error: ValidationError, prefix: string, bindings: EnvBinding[]): string[] {
  const path = prefix + error.property;
  const own = Object.values(error.constraints ?? {}).map((message) => {
    const variable = bindings.find((binding) => binding.path === path)?.variable;
    const detail = message.replace(new RegExp(`^${error.property}\\s+`), '');
    return variable ? `${variable} (${path}): ${detail}` : `${path}: ${detail}`;
  });
  const nested = (error.children ?? []).flatMap((child) => describe(child, `${path}.`, bindings));
  return [...own, ...nested];
}

/** Rules across keys that one field's validation cannot see. */
function queueProblems(config: KilnConfig): string[] {
  const queues = config.tasks?.queues;
  if (!Array.isArray(queues)) return [];
  const names = queues.map((queue) => queue?.name);
  const problems: string[] = [];
  const duplicates = names.filter((name, index) => names.indexOf(name) !== index);
  if (duplicates.length) {
    problems.push(`tasks.queues: names must be unique (${[...new Set(duplicates)].join(', ')})`);
  }
  if (!names.includes(config.tasks.defaultQueue)) {
    problems.push(
      `KILN_DEFAULT_QUEUE (tasks.defaultQueue): must name a queue of tasks.queues (${names.join(', ')})`,
    );
  }
  return problems;
}

function productionProblems(config: KilnConfig): string[] {
  if (config.env !== 'production') return [];
  const problems: string[] = [];
  if (config.auth?.jwtSecret === DEFAULT_JWT_SECRET) {
    problems.push(
      'KILN_JWT_SECRET (auth.jwtSecret): must be set to a secret of your own in production',
    );
  }
  if (config.redis?.url === '') {
    // Production means replicas: the queue, the leader lock and caches must be shared.
    problems.push('KILN_REDIS_URL (redis.url): is required in production');
  }
  return problems;
}
