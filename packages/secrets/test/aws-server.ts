import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { listen } from './loopback.js';

/**
 * A loopback server implementing AWS Secrets Manager's documented GetSecretValue action
 * (JSON 1.1 protocol: `POST /`, `X-Amz-Target: secretsmanager.GetSecretValue`, errors as
 * `{"__type": ...}`), with version ids and the AWSCURRENT / AWSPREVIOUS staging labels.
 * Signatures are not checked. It is the API contract, not AWS.
 */
export interface FakeSecretsManager {
  endpoint: string;
  put(name: string, secret: string): string;
  setDown(down: boolean): void;
  targets: string[];
  close(): Promise<void>;
}

export async function startFakeSecretsManager(): Promise<FakeSecretsManager> {
  const secrets = new Map<string, { id: string; value: string }[]>();
  const targets: string[] = [];
  let down = false;
  const server: Server = createServer(async (req, res) => {
    let text = '';
    for await (const chunk of req) text += chunk;
    const target = String(req.headers['x-amz-target'] ?? '');
    targets.push(target);
    const send = (status: number, body: unknown) => {
      res.writeHead(status, {
        'content-type': 'application/x-amz-json-1.1',
        'x-amzn-requestid': randomUUID(),
      });
      res.end(JSON.stringify(body));
    };
    if (down) return send(500, { __type: 'InternalServiceError', message: 'service unavailable' });
    if (req.method !== 'POST' || target !== 'secretsmanager.GetSecretValue')
      return send(400, { __type: 'UnknownOperationException' });
    const input = JSON.parse(text) as {
      SecretId: string;
      VersionId?: string;
      VersionStage?: string;
    };
    const versions = secrets.get(input.SecretId);
    const notFound = () =>
      send(400, {
        __type: 'ResourceNotFoundException',
        message: "Secrets Manager can't find the specified secret.",
      });
    if (!versions) return notFound();
    let version = versions.at(-1);
    if (input.VersionId) version = versions.find((v) => v.id === input.VersionId);
    else if (input.VersionStage === 'AWSPREVIOUS') version = versions.at(-2);
    else if (input.VersionStage && input.VersionStage !== 'AWSCURRENT') version = undefined;
    if (!version) return notFound();
    send(200, {
      ARN: `arn:aws:secretsmanager:us-east-1:123456789012:secret:${input.SecretId}-AbCdEf`,
      Name: input.SecretId,
      VersionId: version.id,
      SecretString: version.value,
      VersionStages: [version === versions.at(-1) ? 'AWSCURRENT' : 'AWSPREVIOUS'],
      CreatedDate: Date.now() / 1000,
    });
  });
  const listening = await listen(server);
  const { port } = listening;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    targets,
    put(name, secret) {
      const id = randomUUID();
      secrets.set(name, [...(secrets.get(name) ?? []), { id, value: secret }]);
      return id;
    },
    setDown: (d) => {
      down = d;
    },
    close: listening.close,
  };
}
