import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@platform/core';
import { describe, expect, it } from 'vitest';
import { platformCollectors } from '../collectors/platform.js';
import { BUILTIN_TEMPLATES, loadTemplateFile, loadTemplates, parseTemplate } from './load.js';

describe('control templates', () => {
  it('ships SOC 2, ISO 27001 and GDPR by default and the AI Act only when asked', () => {
    expect(loadTemplates().map((t) => t.id)).toEqual(['soc2', 'iso27001', 'gdpr-art30']);
    const all = loadTemplates(['soc2', 'eu-ai-act']);
    expect(all.map((t) => t.id)).toEqual(['soc2', 'eu-ai-act']);
    const soc2 = all[0]!;
    expect(soc2.controls.map((c) => c.id)).toEqual(
      expect.arrayContaining(['CC6.1', 'CC6.3', 'CC7.2', 'CC8.1']),
    );
    expect(soc2.controls.find((c) => c.id === 'CC7.2')?.collectors).toContain('audit-chain');
  });

  it('every shipped control names collectors the package provides', () => {
    const known = new Set(platformCollectors({}).map((c) => c.id));
    for (const t of loadTemplates(Object.keys(BUILTIN_TEMPLATES) as never)) {
      for (const c of t.controls) for (const id of c.collectors) expect(known).toContain(id);
    }
  });

  it('refuses a malformed template naming the field', () => {
    const bad = {
      ...BUILTIN_TEMPLATES.soc2,
      controls: [{ id: 'CC6.1', title: 'x', summary: 'y', collectors: ['Not An Id'] }],
    };
    expect(() => parseTemplate(bad, 'mine.json')).toThrow(ConfigError);
    expect(() => parseTemplate(bad, 'mine.json')).toThrow(/mine\.json.*controls\.0\.collectors\.0/);
    const dup = {
      ...BUILTIN_TEMPLATES.soc2,
      controls: [BUILTIN_TEMPLATES.soc2.controls[0], BUILTIN_TEMPLATES.soc2.controls[0]],
    };
    expect(() => parseTemplate(dup)).toThrow(/duplicate control id CC6\.1/);
    expect(() => loadTemplates(['nope' as never])).toThrow(/no template "nope"/);
  });

  it('loads a host template from a file, and names the file when it is not JSON', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'evidence-tpl-'));
    const good = join(dir, 'good.json');
    writeFileSync(
      good,
      JSON.stringify({
        id: 'internal',
        framework: 'Internal policy',
        title: 'Our own controls',
        version: '1',
        controls: [
          { id: 'IP-1', title: 'Logs', summary: 'We keep logs.', collectors: ['audit-chain'] },
        ],
      }),
    );
    expect((await loadTemplateFile(good)).controls[0]?.id).toBe('IP-1');
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{ nope');
    await expect(loadTemplateFile(broken)).rejects.toThrow(
      /broken\.json: cannot read a JSON template/,
    );
  });
});
