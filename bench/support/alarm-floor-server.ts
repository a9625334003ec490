/**
 * The floor for the alarm benchmark: an empty express endpoint with the same shape as POST /api/alarms
 * (raw body up to 16 kB, JSON answer 201) that emits one socket.io notice to every connected client, in
 * its own process like the real server. No authentication, no database.
 *
 *   node dist/bench/support/alarm-floor-server.js <port>
 */
import http from 'node:http';
import express from 'express';
import { Server } from 'socket.io';

const port = Number(process.argv[2] ?? 0);
const app = express();
app.disable('x-powered-by');
const server = http.createServer(app);
const io = new Server(server, { serveClient: false, cors: { origin: false } });
let seq = 0;
app.post('/api/alarms', express.raw({ type: () => true, limit: '16kb' }), (_req, res) => {
  const ticketId = `floor-${++seq}`;
  res.status(201).json({ ticketId });
  io.emit('sos:raised', { ticketId });
});
server.listen(port, '127.0.0.1', () => console.log('ready'));
process.on('SIGTERM', () => {
  io.close();
  server.close(() => process.exit(0));
});
