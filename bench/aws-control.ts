/**
 * A loopback stand-in for the two AWS services the slack function calls before it answers Slack:
 * SSM Parameter Store (awsJson1_1, `X-Amz-Target: AmazonSSM.GetParameters`) at cold start, and
 * Lambda (restJson1, `POST /2015-03-31/functions/NAME/invocations`) for the hand-off to the worker.
 * A child process reaches it through `AWS_ENDPOINT_URL`, which the SDK honours for every client,
 * so any other AWS call the acknowledgement path makes lands here too and is counted as unexpected.
 */
import { closeServer, listenOnLoopback, readBody } from '../src/sandbox/loopback.ts';

/** One request the stand-in received. */
export interface ControlCall {
  service: 'ssm' | 'lambda' | 'unexpected';
  operation: string;
  /** Date.now() on arrival, comparable with a child's performance.timeOrigin + performance.now(). */
  at: number;
}

export interface AwsControlStand {
  url: string;
  calls: ControlCall[];
  /** Parameter Store contents. */
  parameters: Map<string, string>;
  close(): Promise<void>;
}

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations/;

/** Starts the SSM + Lambda stand-in on 127.0.0.1. */
export async function startAwsControl(parameters: Record<string, string>): Promise<AwsControlStand> {
  const calls: ControlCall[] = [];
  const params = new Map(Object.entries(parameters));
  const { server, url } = await listenOnLoopback((req, res) => {
    const at = Date.now();
    return readBody(req).then((buffer) => {
      const raw = buffer.toString('utf8');
      const target = String(req.headers['x-amz-target'] ?? '');
      if (target === 'AmazonSSM.GetParameters') {
        calls.push({ service: 'ssm', operation: 'GetParameters', at });
        const names = ((raw ? JSON.parse(raw) : {}) as { Names?: string[] }).Names ?? [];
        const body = JSON.stringify({
          Parameters: names
            .filter((n) => params.has(n))
            .map((n) => ({ Name: n, Type: 'SecureString', Value: params.get(n), Version: 1 })),
          InvalidParameters: names.filter((n) => !params.has(n)),
        });
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(body);
        return;
      }
      const invoke = INVOKE_PATH.exec(req.url ?? '');
      if (req.method === 'POST' && invoke) {
        calls.push({ service: 'lambda', operation: 'Invoke', at });
        // An accepted asynchronous (Event) invoke: 202 and no payload.
        res.writeHead(202, { 'x-amzn-requestid': `bench-${calls.length}` });
        res.end();
        return;
      }
      calls.push({ service: 'unexpected', operation: target || `${req.method} ${req.url}`, at });
      res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(
        JSON.stringify({ __type: 'UnknownOperationException', message: `bench: unexpected ${target}` }),
      );
    });
  });
  return { url, calls, parameters: params, close: () => closeServer(server) };
}
