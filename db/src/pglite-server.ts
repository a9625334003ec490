import net from 'node:net';
import type { PGlite } from '@electric-sql/pglite';

/**
 * Serves one PGlite instance to many PostgreSQL wire-protocol clients on a loopback port.
 *
 * Why not pglite-socket's server: PGlite is a single backend session, and the extended query protocol
 * is a pipeline (Parse, Bind, Describe, Execute … Sync) whose unnamed statement and portal live in that
 * session. pglite-socket queues each message on its own, so two clients' pipelines interleave and one
 * client's Bind lands on the other's Parse (seen here: "invalid input syntax for type uuid" with a phone
 * number as the value). This server hands the session to one client at a time, for a whole pipeline
 * up to its Sync (or a simple Query), and keeps it with that client while its transaction is open.
 */
export class PgliteServer {
  private readonly server: net.Server;
  private owner: number | null = null;
  private waiters: { conn: number; wake: () => void }[] = [];
  private nextConn = 1;
  private readonly sockets = new Set<net.Socket>();

  constructor(private readonly db: PGlite) {
    this.server = net.createServer((socket) => this.accept(socket));
  }

  /** Listen on 127.0.0.1 (port 0 = any free port); resolves with the port. */
  async listen(port = 0): Promise<number> {
    await this.db.waitReady;
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => resolve());
    });
    return (this.server.address() as net.AddressInfo).port;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: net.Socket): void {
    const conn = this.nextConn++;
    this.sockets.add(socket);
    socket.setNoDelay(true);
    let buffer = Buffer.alloc(0);
    let started = false;
    let pending: Buffer[] = [];
    let chain = Promise.resolve();
    const send = (data: Uint8Array) => {
      if (data.length && socket.writable) socket.write(data);
    };

    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        if (!started) {
          if (buffer.length < 8) return;
          const len = buffer.readInt32BE(0);
          const code = buffer.readInt32BE(4);
          if (len === 8 && (code === 80877103 || code === 80877104)) {
            // SSLRequest / GSSENCRequest: not offered on loopback.
            buffer = buffer.subarray(8);
            socket.write('N');
            continue;
          }
          if (buffer.length < len) return;
          const startup = buffer.subarray(0, len);
          buffer = buffer.subarray(len);
          started = true;
          chain = chain.then(() => this.run(conn, [startup], send));
          continue;
        }
        if (buffer.length < 5) return;
        const len = buffer.readInt32BE(1) + 1;
        if (buffer.length < len) return;
        const message = buffer.subarray(0, len);
        const type = String.fromCharCode(message[0]);
        buffer = buffer.subarray(len);
        if (type === 'X') {
          socket.end();
          return;
        }
        pending.push(message);
        // A pipeline ends at Sync or a simple Query; Flush asks for output now but the pipeline goes on.
        if (type === 'S' || type === 'Q' || type === 'H') {
          const batch = pending;
          pending = [];
          chain = chain.then(() => this.run(conn, batch, send, type === 'H'));
        }
      }
    });
    const closed = () => {
      this.sockets.delete(socket);
      chain = chain.then(() => this.release(conn));
    };
    socket.on('close', closed);
    socket.on('error', () => socket.destroy());
  }

  /** Run one pipeline with the session held by `conn`. */
  private async run(conn: number, messages: Buffer[], send: (d: Uint8Array) => void, midPipeline = false): Promise<void> {
    await this.acquire(conn);
    try {
      for (const m of messages) {
        await this.db.runExclusive(() => this.db.execProtocolRawStream(new Uint8Array(m), { onRawData: send }));
      }
    } catch {
      // PGlite reports query errors in the protocol stream; a throw here means the session broke.
    } finally {
      if (!midPipeline && !this.db.isInTransaction()) this.handOver();
    }
  }

  /** A client went away: roll back what it left open and pass the session on. */
  private async release(conn: number): Promise<void> {
    this.waiters = this.waiters.filter((w) => w.conn !== conn);
    if (this.owner !== conn) return;
    if (this.db.isInTransaction()) {
      // exec takes PGlite's own query lock; runExclusive around it would deadlock.
      await this.db.exec('ROLLBACK').catch(() => undefined);
    }
    this.handOver();
  }

  private acquire(conn: number): Promise<void> {
    if (this.owner === null || this.owner === conn) {
      this.owner = conn;
      return Promise.resolve();
    }
    return new Promise((wake) => this.waiters.push({ conn, wake }));
  }

  private handOver(): void {
    const next = this.waiters.shift();
    this.owner = next ? next.conn : null;
    next?.wake();
  }
}
