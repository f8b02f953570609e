import { Readable } from 'node:stream';
import { neutralRequest, readNodeBody, readWebBody, runWithContext } from '@platform/core';
import { describe, expect, it } from 'vitest';
import { type CspViolation, createReportReceiver, type ReportReceiverOptions } from './reports.js';

const CSP_REPORT = {
  'csp-report': {
    'document-uri': 'https://app.example/page',
    referrer: '',
    'violated-directive': 'script-src-elem',
    'effective-directive': 'script-src-elem',
    'original-policy': "default-src 'self'",
    disposition: 'enforce',
    'blocked-uri': 'inline',
    'line-number': 12,
    'column-number': 3,
    'source-file': 'https://app.example/page',
    'status-code': 200,
    'script-sample': 'alert(1)',
  },
};

const REPORTS_JSON = [
  {
    type: 'csp-violation',
    age: 10,
    url: 'https://app.example/page',
    user_agent: 'Chrome/140',
    body: {
      documentURL: 'https://app.example/page',
      blockedURL: 'https://evil.example/x.js',
      effectiveDirective: 'script-src-elem',
      originalPolicy: "default-src 'self'",
      disposition: 'report',
      statusCode: 200,
      lineNumber: 1,
      sample: '',
    },
  },
  { type: 'deprecation', url: 'https://app.example/page', body: { id: 'x' } },
];

interface Report {
  method: string;
  contentType?: string;
  contentLength?: string;
  body?: string;
}

/** A report request as core's neutral request: the body as a body parser would leave it. */
function report({ method, contentType, contentLength, body }: Report) {
  const headers: Record<string, string | undefined> = {
    'content-type': contentType,
    'content-length': contentLength,
  };
  return neutralRequest({ method, url: '/csp-report', header: (name) => headers[name], body });
}

function setup(options: ReportReceiverOptions = {}) {
  const events: CspViolation[] = [];
  const receiver = createReportReceiver({ onViolation: (v) => events.push(v), ...options });
  const post = async (contentType: string | undefined, body: string, contentLength?: string) => {
    const res = await receiver.handle(report({ method: 'POST', contentType, contentLength, body }));
    receiver.flush();
    return res;
  };
  return { receiver, events, post };
}

describe('createReportReceiver', () => {
  it('accepts application/csp-report', async () => {
    const { post, events, receiver } = setup();
    const res = await post('application/csp-report', JSON.stringify(CSP_REPORT));
    expect(res.status).toBe(204);
    expect(events).toEqual([
      {
        requestId: undefined,
        documentUri: 'https://app.example/page',
        blockedUri: 'inline',
        effectiveDirective: 'script-src-elem',
        violatedDirective: 'script-src-elem',
        disposition: 'enforce',
        referrer: undefined,
        sourceFile: 'https://app.example/page',
        lineNumber: 12,
        columnNumber: 3,
        statusCode: 200,
        sample: 'alert(1)',
        originalPolicy: "default-src 'self'",
        userAgent: undefined,
        format: 'csp-report',
        count: 1,
        firstSeen: expect.any(String),
        lastSeen: expect.any(String),
      },
    ]);
    expect(receiver.stats()).toMatchObject({
      requests: 1,
      violations: 1,
      byDirective: { 'script-src-elem': 1 },
    });
  });

  it('accepts application/reports+json and skips other report types', async () => {
    const { post, events, receiver } = setup();
    const res = await post('application/reports+json; charset=utf-8', JSON.stringify(REPORTS_JSON));
    expect(res.status).toBe(204);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      documentUri: 'https://app.example/page',
      blockedUri: 'https://evil.example/x.js',
      effectiveDirective: 'script-src-elem',
      disposition: 'report',
      userAgent: 'Chrome/140',
      format: 'reports+json',
    });
    expect(receiver.stats()).toMatchObject({ violations: 1, ignored: 1 });
  });

  it('carries the request id of the current context', async () => {
    const { post, events } = setup();
    await runWithContext(
      {
        requestId: 'req-123',
        method: 'POST',
        path: '/csp-report',
        startTime: Date.now(),
        userAgent: 'UA',
      },
      () => post('application/csp-report', JSON.stringify(CSP_REPORT)),
    );
    expect(events[0]).toMatchObject({ requestId: 'req-123', userAgent: 'UA' });
  });

  it('answers 413 above the limit, by declared length or by what was read', async () => {
    const { post, receiver } = setup({ maxBodyBytes: 1024 });
    const big = JSON.stringify({ 'csp-report': { 'document-uri': 'x'.repeat(2000) } });
    expect((await post('application/csp-report', '{}', '5000')).status).toBe(413);
    const res = await post('application/csp-report', big);
    expect(res.status).toBe(413);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(receiver.stats().rejected.tooLarge).toBe(2);
  });

  it.each([
    ['application/csp-report', 'not json'],
    ['application/csp-report', '[]'],
    ['application/csp-report', '{"csp-report": "x"}'],
    ['application/csp-report', ''],
    ['application/reports+json', '{}'],
    ['application/reports+json', '[1]'],
    ['application/reports+json', '[{"type":"csp-violation","body":null}]'],
  ])('answers 400 to malformed %s %s', async (type, body) => {
    const { post, receiver, events } = setup();
    const res = await post(type, body);
    expect(res.status).toBe(400);
    expect(JSON.parse(String(res.body ?? ''))).toMatchObject({
      status: 400,
      title: 'Malformed report',
    });
    expect(receiver.stats().rejected.malformed).toBe(1);
    expect(events).toEqual([]);
  });

  it('answers 415 to other media types and 405 to other methods', async () => {
    const { post, receiver } = setup();
    expect((await post('application/json', '{}')).status).toBe(415);
    expect((await post(undefined, '{}')).status).toBe(415);
    const res = await receiver.handle(report({ method: 'GET', body: '' }));
    expect(res).toMatchObject({ status: 405, headers: { allow: 'POST' } });
    expect(receiver.stats().rejected).toMatchObject({ mediaType: 2, method: 1 });
  });

  it('bounds strings and strips control characters', async () => {
    const { post, events } = setup();
    const report = {
      'csp-report': {
        'document-uri': `https://a.example/\r\nFAKE LOG LINE${'x'.repeat(5000)}`,
        'effective-directive': 'Script-Src\u0000; drop',
        'line-number': -1,
      },
    };
    await post('application/csp-report', JSON.stringify(report));
    expect(events[0]?.documentUri).not.toMatch(/[\r\n]/);
    expect(events[0]?.documentUri.length).toBe(2048);
    expect(events[0]?.effectiveDirective).toBe('unknown');
    expect(events[0]?.lineNumber).toBeUndefined();
  });

  it('counts unknown directives as other', async () => {
    const { post, receiver } = setup();
    const report = { 'csp-report': { 'document-uri': 'x', 'effective-directive': 'made-up-src' } };
    await post('application/csp-report', JSON.stringify(report));
    expect(receiver.stats().byDirective).toEqual({ other: 1 });
  });

  it('survives a throwing callback and counts it', async () => {
    const receiver = createReportReceiver({
      onViolation: () => {
        throw new Error('sink down');
      },
    });
    const res = await receiver.handle(
      report({
        method: 'POST',
        contentType: 'application/csp-report',
        body: JSON.stringify(CSP_REPORT),
      }),
    );
    expect(res.status).toBe(204);
    receiver.flush();
    expect(receiver.stats().callbackErrors).toBe(1);
  });

  it('logs through a pino-style logger', async () => {
    const lines: [object, string | undefined][] = [];
    const receiver = createReportReceiver({
      logger: { warn: (obj, msg) => lines.push([obj, msg]) },
    });
    await receiver.handle(
      report({
        method: 'POST',
        contentType: 'application/csp-report',
        body: JSON.stringify(CSP_REPORT),
      }),
    );
    receiver.close();
    expect(lines).toEqual([[expect.objectContaining({ blockedUri: 'inline' }), 'csp violation']]);
  });

  it('rejects bad options', () => {
    expect(() => createReportReceiver({ maxBodyBytes: 'big' as never })).toThrow('maxBodyBytes');
    expect(() => createReportReceiver({ onViolation: 'x' as never })).toThrow(
      'onViolation: must be a function',
    );
  });
});

describe('body readers', () => {
  it('reads a Node stream up to the limit', async () => {
    expect(await readNodeBody(Readable.from([Buffer.from('ab'), Buffer.from('cd')]), 4)).toEqual(
      Buffer.from('abcd'),
    );
    expect(
      await readNodeBody(Readable.from([Buffer.from('abc'), Buffer.from('de')]), 4),
    ).toBeUndefined();
  });

  it('reads a Web request up to the limit', async () => {
    const req = (body: string) => new Request('http://x/', { method: 'POST', body });
    expect(new TextDecoder().decode(await readWebBody(req('abcd'), 4))).toBe('abcd');
    expect(await readWebBody(req('abcde'), 4)).toBeUndefined();
    expect(await readWebBody(new Request('http://x/'), 4)).toEqual(new Uint8Array());
  });
});
