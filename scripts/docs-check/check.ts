/**
 * Typechecks the code blocks of the documentation.
 *
 * Every ```ts / ```typescript / ```tsx / ```js / ```mjs block of README.md,
 * docs/*.md, packages/*\/README.md and examples/*\/README.md is written as its
 * own module under `blocks/` (inside this workspace package, so `@platform/*`
 * and the frameworks resolve through the workspace) and the lot is checked by
 * one `tsc` run. Errors are reported as `FILE.md:LINE` of the documentation.
 *
 * A block whose first line names a file (`// flags.ts`, `// app/api/x/route.ts`) is
 * written under that name, so later blocks of the same Markdown file can import it
 * (`import { flags } from './flags.js'`), as a reader would lay the files out.
 *
 * A block that is deliberately partial is skipped when the line before its
 * fence is `<!-- docs-check: skip (the reason) -->`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../..');
const out = join(here, 'blocks');

const extensions: Record<string, string> = {
  ts: 'ts',
  typescript: 'ts',
  tsx: 'tsx',
  js: 'mjs',
  mjs: 'mjs',
};
const fence = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)/;
const skip = /^<!--\s*docs-check:\s*skip\s*\((.+)\)\s*-->$/;

export interface Block {
  /** The documentation file, relative to the repository root. */
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  lang: string;
  code: string;
  skipped?: string;
}

/** Finds the checkable code blocks of one Markdown text. */
export function extractBlocks(file: string, text: string): Block[] {
  const lines = text.split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = fence.exec(lines[i] ?? '');
    if (!open) continue;
    const [, indent = '', marks = '', lang = ''] = open;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const line = lines[j] ?? '';
      const close = fence.exec(line);
      if (close?.[2]?.startsWith(marks) && !close[3]) break;
      body.push(line.startsWith(indent) ? line.slice(indent.length) : line.trimStart());
    }
    const ext = extensions[lang.toLowerCase()];
    if (ext) {
      const block: Block = { file, line: i + 1, lang, code: body.join('\n') };
      const previous = lines
        .slice(0, i)
        .reverse()
        .find((l) => l.trim() !== '');
      const marker = previous ? skip.exec(previous.trim()) : null;
      if (marker) block.skipped = marker[1];
      blocks.push(block);
    }
    i = j;
  }
  return blocks;
}

function markdownFiles(): string[] {
  const files = ['README.md'];
  const inDir = (dir: string) =>
    existsSync(join(root, dir)) ? readdirSync(join(root, dir)).sort() : [];
  for (const name of inDir('docs')) if (name.endsWith('.md')) files.push(`docs/${name}`);
  for (const parent of ['packages', 'examples']) {
    for (const name of inDir(parent)) {
      const readme = `${parent}/${name}/README.md`;
      if (existsSync(join(root, readme))) files.push(readme);
    }
  }
  return files;
}

const fileComment = /^\/\/ ((?:[\w.[\]-]+\/)*[\w.[\]-]+\.(?:ts|tsx|mts|mjs|js))(?::|\s|$)/;

/** `<doc>/<named file>` when the block names its file (and `byName`), else `<doc>/L<line>.<ext>`. */
function moduleName(block: Block, byName = true): string {
  const dir = block.file.replace(/\.md$/, '').replace(/[^A-Za-z0-9]+/g, '_');
  const named = byName ? fileComment.exec(block.code.split('\n', 1)[0] ?? '')?.[1] : undefined;
  if (named && !named.split('/').includes('..')) return `${dir}/${named}`;
  return `${dir}/L${block.line}.${extensions[block.lang.toLowerCase()]}`;
}

function main(): number {
  const blocks = markdownFiles().flatMap((file) =>
    extractBlocks(file, readFileSync(join(root, file), 'utf8')),
  );
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const byModule = new Map<string, Block>();
  for (const block of blocks) {
    if (block.skipped !== undefined) continue;
    // a later version of a named file (the same route, grown) is checked under its line
    const name = byModule.has(moduleName(block)) ? moduleName(block, false) : moduleName(block);
    byModule.set(name, block);
    mkdirSync(dirname(join(out, name)), { recursive: true });
    // `export {}` keeps every block a module of its own, so names never clash.
    writeFileSync(join(out, name), `${block.code}\nexport {};\n`);
  }
  writeFileSync(
    join(out, 'tsconfig.json'),
    `${JSON.stringify(
      {
        extends: '../../../tsconfig.base.json',
        compilerOptions: {
          noEmit: true,
          declaration: false,
          allowJs: true,
          checkJs: true,
          jsx: 'react-jsx',
          noUnusedLocals: false,
          types: ['node'],
        },
        include: ['./**/*'],
      },
      null,
      2,
    )}\n`,
  );

  const tsc = createRequire(join(here, 'package.json')).resolve('typescript/bin/tsc');
  const run = spawnSync(
    process.execPath,
    [tsc, '-p', join(out, 'tsconfig.json'), '--pretty', 'false'],
    {
      cwd: out,
      encoding: 'utf8',
    },
  );
  const output = `${run.stdout}${run.stderr}`;
  const diagnostic = /^(?<name>[^(\s]+)\((?<line>\d+),(?<col>\d+)\): (?<message>.*)$/;
  const errors: string[] = [];
  for (const line of output.split('\n')) {
    if (line.trim() === '') continue;
    const match = diagnostic.exec(line);
    const block = match?.groups
      ? byModule.get(relative(out, join(out, match.groups.name ?? '')))
      : undefined;
    if (!match?.groups || !block) {
      // a message that is not about one block (configuration, continuation lines)
      errors.push(line);
      continue;
    }
    const docLine = block.line + Number(match.groups.line);
    errors.push(`${block.file}:${docLine}:${match.groups.col} ${match.groups.message}`);
  }
  const checked = byModule.size;
  const skipped = blocks.length - checked;
  if (run.status !== 0 || errors.length > 0) {
    console.error(errors.join('\n'));
    console.error(`\ndocs-check: ${checked} blocks checked, ${skipped} skipped: errors above`);
    return 1;
  }
  console.log(`docs-check: ${checked} blocks typecheck (${skipped} skipped as partial)`);
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = main();
}
