import type { AddressInfo, Socket } from 'node:net';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { parseMimeMessage, type MimeMessage } from './mime-message.js';

/**
 * A loopback SMTP relay (smtp-server) that keeps what it accepted, with switches that make it misbehave the ways a
 * real relay can. STARTTLS with a certificate from test/support/test-certificates.ts unless `starttls` is false.
 */
export type RelayBehaviour =
  | 'accept'
  /** 451 after the message data: "try again later". */
  | 'temporary_failure'
  /** 550 to RCPT TO: this mailbox does not exist. */
  | 'reject_recipient'
  /** Takes the message data and never answers. */
  | 'hang';

export interface LoopbackSmtpOptions {
  /** PEM key and certificate for STARTTLS. */
  tls?: { key: string; cert: string };
  /** Advertise STARTTLS (default: when `tls` is given). */
  starttls?: boolean;
  /** When set, AUTH is required and only these credentials pass. */
  auth?: { user: string; password: string };
}

export interface ReceivedEmail extends MimeMessage {
  envelopeFrom: string;
  envelopeTo: string[];
  /** Whether the session was upgraded to TLS before the message. */
  secure: boolean;
  user?: string;
  raw: string;
}

export class LoopbackSmtpServer {
  behaviour: RelayBehaviour = 'accept';
  readonly received: ReceivedEmail[] = [];
  /** Messages whose data arrived while hanging (the client gave up on them). */
  hungMessages = 0;
  /** Every message whose data arrived, whatever the answer: what a client handed over. */
  offeredMessages = 0;
  private readonly sockets = new Set<Socket>();
  private readonly server: SMTPServer;

  private constructor(options: LoopbackSmtpOptions) {
    const auth = options.auth;
    this.server = new SMTPServer({
      logger: false,
      ...(options.tls ? { key: options.tls.key, cert: options.tls.cert } : {}),
      hideSTARTTLS: !(options.starttls ?? options.tls !== undefined),
      authOptional: auth === undefined,
      ...(auth === undefined ? { disabledCommands: ['AUTH'] } : { authMethods: ['PLAIN', 'LOGIN'] }),
      disableReverseLookup: true,
      closeTimeout: 100,
      onAuth: (credentials, _session, callback) => {
        if (auth && credentials.username === auth.user && credentials.password === auth.password) {
          callback(null, { user: credentials.username ?? '' });
        } else {
          callback(withCode(new Error('Invalid username or password'), 535));
        }
      },
      onRcptTo: (_address, _session, callback) => {
        callback(this.behaviour === 'reject_recipient' ? withCode(new Error('No such mailbox'), 550) : null);
      },
      onData: (stream, session, callback) => this.onData(stream, session, callback),
    });
    this.server.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  static async start(options: LoopbackSmtpOptions = {}): Promise<LoopbackSmtpServer> {
    const relay = new LoopbackSmtpServer(options);
    await new Promise<void>((resolve) => relay.server.listen(0, '127.0.0.1', () => resolve()));
    return relay;
  }

  get port(): number {
    return (this.server.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback: (error?: Error | null) => void): void {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      this.offeredMessages += 1;
      if (this.behaviour === 'hang') {
        this.hungMessages += 1;
        return;
      }
      if (this.behaviour === 'temporary_failure') {
        callback(withCode(new Error('Try again later'), 451));
        return;
      }
      const raw = Buffer.concat(chunks).toString('utf8');
      const mailFrom = session.envelope.mailFrom;
      this.received.push({
        ...parseMimeMessage(raw),
        envelopeFrom: mailFrom ? mailFrom.address : '',
        envelopeTo: session.envelope.rcptTo.map((recipient) => recipient.address),
        secure: session.secure,
        ...(typeof session.user === 'string' ? { user: session.user } : {}),
        raw,
      });
      callback(null);
    });
  }
}

function withCode(error: Error, responseCode: number): Error {
  return Object.assign(error, { responseCode });
}
