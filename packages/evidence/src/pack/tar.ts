import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';

const BLOCK = 512;
const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/** A file in an archive: a relative path with `/` separators, and its bytes. */
export interface ArchiveEntry {
  path: string;
  data: Uint8Array;
}

const SAFE_PATH = /^(?!\/)(?!.*(?:^|\/)\.\.?(?:\/|$))[A-Za-z0-9._/-]{1,255}$/;

/** Refuses absolute paths, `.`/`..` segments and anything outside a plain file name set. */
export function checkPath(path: string): string {
  if (!SAFE_PATH.test(path) || path.includes('//')) throw new Error(`unsafe archive path: ${path}`);
  return path;
}

function field(block: Buffer, offset: number, length: number, value: string) {
  block.write(value, offset, length, 'ascii');
}

const octal = (n: number, width: number) => `${n.toString(8).padStart(width - 1, '0')}\0`;

function header(path: string, size: number, mtime: number): Buffer {
  const block = Buffer.alloc(BLOCK);
  let name = path;
  let prefix = '';
  if (path.length > 100) {
    const cut = path.lastIndexOf('/', 155);
    if (cut < 1 || path.length - cut - 1 > 100) throw new Error(`archive path too long: ${path}`);
    prefix = path.slice(0, cut);
    name = path.slice(cut + 1);
  }
  field(block, 0, 100, name);
  field(block, 100, 8, octal(0o644, 8));
  field(block, 108, 8, octal(0, 8));
  field(block, 116, 8, octal(0, 8));
  field(block, 124, 12, octal(size, 12));
  field(block, 136, 12, octal(Math.floor(mtime / 1000), 12));
  field(block, 148, 8, '        ');
  field(block, 156, 1, '0');
  field(block, 257, 6, 'ustar\0');
  field(block, 263, 2, '00');
  field(block, 345, 155, prefix);
  let sum = 0;
  for (const byte of block) sum += byte;
  field(block, 148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
  return block;
}

/** A POSIX ustar archive of regular files, gzipped; same input, same bytes. */
export async function writeTarGz(entries: readonly ArchiveEntry[], mtime: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  for (const e of entries) {
    parts.push(header(checkPath(e.path), e.data.byteLength, mtime), Buffer.from(e.data));
    const pad = (BLOCK - (e.data.byteLength % BLOCK)) % BLOCK;
    if (pad) parts.push(Buffer.alloc(pad));
  }
  parts.push(Buffer.alloc(BLOCK * 2));
  return gzipAsync(Buffer.concat(parts));
}

const text = (block: Buffer, offset: number, length: number) => {
  const raw = block.subarray(offset, offset + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end === -1 ? length : end).toString('ascii');
};

/**
 * Reads a gzipped tar archive's regular files (directories skipped). A malformed header,
 * a bad checksum, an unsafe path, a link or a duplicate path is an error.
 */
export async function readTarGz(archive: Uint8Array): Promise<ArchiveEntry[]> {
  const tar = await gunzipAsync(archive);
  const out: ArchiveEntry[] = [];
  const seen = new Set<string>();
  let at = 0;
  while (at + BLOCK <= tar.length) {
    const block = tar.subarray(at, at + BLOCK);
    if (block.every((b) => b === 0)) break;
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : (block[i] as number);
    if (Number.parseInt(text(block, 148, 8).trim(), 8) !== sum)
      throw new Error(`bad tar header checksum at byte ${at}`);
    const size = Number.parseInt(text(block, 124, 12).trim() || '0', 8);
    const type = text(block, 156, 1) || '0';
    const prefix = text(block, 345, 155);
    const path = prefix ? `${prefix}/${text(block, 0, 100)}` : text(block, 0, 100);
    const start = at + BLOCK;
    if (!Number.isSafeInteger(size) || start + size > tar.length)
      throw new Error(`truncated tar entry ${path}`);
    at = start + Math.ceil(size / BLOCK) * BLOCK;
    if (type === '5') continue;
    if (type !== '0') throw new Error(`unexpected tar entry type ${type} for ${path}`);
    checkPath(path);
    if (seen.has(path)) throw new Error(`duplicate archive entry ${path}`);
    seen.add(path);
    out.push({ path, data: tar.subarray(start, start + size) });
  }
  return out;
}
