import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { README } from '../cli/readme.js';
import { REPO_ROOT } from '../cli/run-cli.js';

export interface Run {
  code: number | null;
  output: string;
}

/** Runs a command to completion (stdout and stderr together), killing it after `timeoutMs`. */
export function run(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} did not finish in ${options.timeoutMs ?? 60_000} ms:\n${output}`));
    }, options.timeoutMs ?? 60_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** `npm pack` of every published workspace (all but the private integration tests) into `dir`: file name per package. */
export async function packWorkspaces(dir: string): Promise<Map<string, string>> {
  await mkdir(dir, { recursive: true });
  const packed = await run(
    'npm',
    ['pack', '--json', '--workspace', 'packages', '--workspace', 'examples', '--pack-destination', dir],
    {
      cwd: REPO_ROOT,
      timeoutMs: 120_000,
    },
  );
  if (packed.code !== 0) throw new Error(`npm pack failed:\n${packed.output}`);
  const json = packed.output.slice(packed.output.indexOf('['));
  return new Map((JSON.parse(json) as { name: string; filename: string }[]).map((p) => [p.name, p.filename]));
}

/**
 * The tarballs the README's install block names, per `npm install` line of the app: `[prod, dev, dev]`.
 * Brace lists (`tender-{core,http}-0.1.0.tgz`) are expanded as the shell would.
 */
export function readmeInstallLines(): { dev: boolean; packages: string[]; others: string[] }[] {
  const start = README.indexOf('<!-- readme-test: install -->');
  const section = README.slice(start, README.indexOf('<!-- /readme-test -->', start));
  const block = section.match(/```sh\n([\s\S]*?)\n```/)![1]!;
  const appLines = block.slice(block.indexOf('# in your app')).split('\n');
  return appLines
    .filter((line) => line.startsWith('npm install '))
    .map((line) => {
      const words = line.split(/\s+/).slice(2);
      const packages = words.flatMap((word) => {
        const match = word.match(/tender-(?:\{([^}]+)\}|([a-z-]+))-0\.1\.0\.tgz$/);
        if (!match) return [];
        return (match[1] ?? match[2]!).split(',').map((name) => `@tender/${name}`);
      });
      const others = words.filter((word) => !word.startsWith('-') && !word.includes('tarballs/'));
      return { dev: words.includes('--save-dev'), packages, others };
    });
}

/**
 * npm has no registry here (the test must not need the network), so the project's lockfile is seeded
 * with the third-party packages exactly as this repository locked them: npm then takes each from its
 * cache, where the repository's own install put them, and prunes what nothing needs.
 */
export async function seedLockfile(project: string, manifest: Record<string, unknown>): Promise<void> {
  const repo = JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { link?: boolean; name?: string }>;
  };
  const thirdParty = Object.entries(repo.packages).flatMap(([path, entry]): [string, unknown][] => {
    if (entry.link || path.startsWith('node_modules/@tender/')) return [];
    if (path.startsWith('node_modules/')) return [[path, entry]];
    // A version a workspace needs other than the hoisted one (p-limit 7 under payment-module, 3 at the root)
    // is nested under that package where a host installs it.
    const nested = /^((?:packages|examples)\/[^/]+)\/node_modules\/(.+)$/.exec(path);
    const owner = nested && repo.packages[nested[1]!]?.name;
    return owner ? [[`node_modules/${owner}/node_modules/${nested[2]}`, entry]] : [];
  });
  const existing = (() => {
    try {
      return JSON.parse(readFileSync(join(project, 'package-lock.json'), 'utf8')).packages as Record<string, unknown>;
    } catch {
      return {};
    }
  })();
  const root = { name: manifest.name, dependencies: manifest.dependencies, devDependencies: manifest.devDependencies };
  const packages = { ...Object.fromEntries(thirdParty), ...existing, '': root };
  await writeFile(join(project, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  await writeFile(
    join(project, 'package-lock.json'),
    `${JSON.stringify({ name: manifest.name, lockfileVersion: 3, requires: true, packages }, null, 2)}\n`,
  );
}
