import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { REPO_ROOT } from './run-cli.js';

export const README = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');

function between(text: string, start: string, end: string): string {
  const from = text.indexOf(start);
  const to = text.indexOf(end, from);
  if (from < 0 || to < 0) throw new Error(`README.md has no "${start}" … "${end}" section`);
  return text.slice(from + start.length, to);
}

/** The code block between `<!-- readme-test: name -->` and `<!-- /readme-test -->`, exactly as written. */
export function readmeCodeBlock(name: string, readmePath = 'README.md'): string {
  const text = readmePath === 'README.md' ? README : readFileSync(join(REPO_ROOT, readmePath), 'utf8');
  const section = between(text, `<!-- readme-test: ${name} -->`, '<!-- /readme-test -->');
  const match = section.match(/```ts\n([\s\S]*?)\n```/);
  if (!match) throw new Error(`README section "${name}" has no \`\`\`ts block`);
  return `${match[1]}\n`;
}

/** A README section between `<!-- name -->` and `<!-- /name -->`. */
export function readmeSection(name: string): string {
  return between(README, `<!-- ${name} -->`, `<!-- /${name} -->`);
}

/** Markdown with table padding removed, so a formatter's alignment does not count as a difference. */
export function normalizeMarkdown(text: string): string {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) =>
      line.startsWith('|')
        ? line
            .split(/(?<!\\)\|/)
            .map((cell) => cell.trim().replace(/^-{3,}$/, '---'))
            .join('|')
        : line,
    )
    .join('\n');
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
