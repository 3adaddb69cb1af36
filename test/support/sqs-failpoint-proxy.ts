import { createServer, IncomingMessage, request, Server } from 'node:http';

/** One SQS call as the proxy sees it: its action (`DeleteMessageBatch`) and its queue's URL. */
export interface SqsCall {
  action: string;
  queueUrl?: string;
}

/**
 * An HTTP proxy in front of the SQS/S3 emulator for one app process, which
 * forwards every call unchanged except the first that `isFailpoint` picks:
 * that one never reaches the emulator; `onFailpoint` runs instead (a test
 * kills the app there) and the connection is dropped. So a crash lands at an
 * exact point of the app's real protocol, e.g. between the writer's commit
 * and its DeleteMessageBatch, with nothing in the app's code for it.
 */
export class SqsFailpointProxy {
  private server?: Server;
  private fired = false;
  port = 0;

  constructor(
    private readonly targetEndpoint: string,
    private readonly isFailpoint: (call: SqsCall) => boolean,
    private readonly onFailpoint: (call: SqsCall) => void,
  ) {}

  /** The endpoint to give the app as AWS_ENDPOINT_URL. */
  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const target = new URL(this.targetEndpoint);
    this.server = createServer((incoming, outgoing) => {
      void readBody(incoming).then((body) => {
        const call = sqsCall(incoming, body);
        if (!this.fired && call && this.isFailpoint(call)) {
          this.fired = true;
          this.onFailpoint(call);
          incoming.socket.destroy();
          return;
        }
        const forwarded = request(
          { host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers: incoming.headers },
          (response) => {
            outgoing.writeHead(response.statusCode ?? 502, response.headers);
            response.pipe(outgoing);
          },
        );
        forwarded.on('error', () => outgoing.destroy());
        forwarded.end(body);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

function readBody(incoming: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => resolve(Buffer.concat(chunks)));
    incoming.on('error', reject);
  });
}

/** The SQS action of a request: the JSON protocol names it in `x-amz-target`, the query protocol in the form body. */
function sqsCall(incoming: IncomingMessage, body: Buffer): SqsCall | undefined {
  const target = incoming.headers['x-amz-target'];
  if (typeof target === 'string' && target.startsWith('AmazonSQS.')) {
    const { QueueUrl } = JSON.parse(body.toString('utf8') || '{}') as { QueueUrl?: string };
    return { action: target.slice('AmazonSQS.'.length), queueUrl: QueueUrl };
  }
  if (!incoming.headers['content-type']?.startsWith('application/x-www-form-urlencoded')) return undefined;
  const form = new URLSearchParams(body.toString('utf8'));
  const action = form.get('Action');
  return action ? { action, queueUrl: form.get('QueueUrl') ?? undefined } : undefined;
}
