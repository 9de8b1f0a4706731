// A local PAS for the HL7 v2 feed (issue 14, interfaces §5.5 and §6): an MLLP listener on 127.0.0.1 that records what
// it receives and answers each message with an ACK: AA, or AE / AR / no answer when told to (tests and the control
// API). Like a real PAS it accepts a message once: a repeat of a control id (MSH-10) it already accepted is answered AA
// again and recorded as a repeat, not applied twice. `npm start` runs one when HL7_HOST is unset; `npm run pas:local`
// runs it on its own.
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { HL7_2_5, MLLPCodec, Message } from 'node-hl7-client';

export type PasAnswer = 'AA' | 'AE' | 'AR' | 'none';
/** The next `times` messages matching (by event S12…A08, MSH-10 and/or the NHS number in PID-3) get this answer; then AA again. */
export type PasRule = { answer: PasAnswer; times: number; event?: string; controlId?: string; nhsNumber?: string; text?: string };
export type PasReceived = {
  controlId: string; event: string; nhsNumber: string; text: string; receivedAt: string;
  answer: PasAnswer;
  /** Accepted before (the sender resent it): not applied again. */
  repeat: boolean;
};

export type LocalPas = {
  host: string; port: number;
  /** The control API's base URL (GET /__control/messages, POST /__control/rules, POST /__control/reset). */
  controlUrl: string;
  received(): PasReceived[];
  /** Messages applied: accepted (AA) and not repeats, in the order they were accepted. */
  applied(): PasReceived[];
  addRule(rule: PasRule): void;
  /** Holds every ACK this long (a slow PAS; a test kills the sender meanwhile). */
  setAckDelay(ms: number): void;
  reset(): void;
  stop(): Promise<void>;
};

function ackFor(message: Message, code: Exclude<PasAnswer, 'none'>, text?: string): string {
  const get = (p: string) => { try { return message.get(p).toString(); } catch { return ''; } };
  const b = new HL7_2_5();
  b.buildMSH({ msh_3: get('MSH.5') || 'PAS', msh_4: get('MSH.6') || 'PAS', msh_5: get('MSH.3') || 'SENDER', msh_6: get('MSH.4') || 'SENDER',
    msh_9_1: 'ACK', msh_9_2: get('MSH.9.2') || 'A01', msh_9_3: 'ACK', msh_10: `ACK${Date.now().toString(36)}`, msh_11_1: 'P' } as never);
  b.buildMSA({ msa_1: code, msa_2: get('MSH.10'), ...(text ? { msa_3: text } : {}) } as never);
  return b.toString();
}

export async function startLocalPas(opts: { port?: number; controlPort?: number; log?: (line: string) => void } = {}): Promise<LocalPas> {
  let received: PasReceived[] = [];
  let rules: PasRule[] = [];
  let accepted = new Set<string>();
  let ackDelayMs = 0;
  const sockets = new Set<Socket>();

  const answerFor = (event: string, controlId: string, nhsNumber: string): { answer: PasAnswer; text?: string } => {
    const rule = rules.find((r) => r.times > 0 && (!r.event || r.event === event) && (!r.controlId || r.controlId === controlId)
      && (!r.nhsNumber || r.nhsNumber === nhsNumber));
    if (!rule) return { answer: 'AA' };
    rule.times -= 1;
    return { answer: rule.answer, text: rule.text };
  };

  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    const codec = new MLLPCodec('utf-8');
    socket.on('data', (chunk) => {
      if (!codec.receiveData(chunk)) return;
      const text = codec.getLastMessage() ?? '';
      let message: Message;
      try { message = new Message({ text }); } catch { socket.destroy(); return; }
      const controlId = message.get('MSH.10').toString();
      const event = message.get('MSH.9.2').toString();
      const repeat = accepted.has(controlId);
      const nhsNumber = message.get('PID.3.1').toString();
      const { answer, text: words } = repeat ? { answer: 'AA' as const, text: undefined } : answerFor(event, controlId, nhsNumber);
      // A message counts as accepted when the PAS takes it, whether or not the ACK reaches the sender.
      if (answer === 'AA') accepted.add(controlId);
      received.push({ controlId, event, nhsNumber, text, receivedAt: new Date().toISOString(), answer, repeat });
      opts.log?.(`${new Date().toISOString()} ${message.get('MSH.9.1').toString()}^${event} ${controlId} → ${answer === 'none' ? 'no answer' : answer}${repeat ? ' (a repeat: not applied again)' : ''}`);
      if (answer === 'none') return;
      const ack = ackFor(message, answer, words ?? (answer === 'AE' ? 'Application error (local PAS, as asked)' : answer === 'AR' ? 'Rejected (local PAS, as asked)' : undefined));
      setTimeout(() => { if (!socket.destroyed) codec.sendMessage(socket, ack, 'utf-8'); }, ackDelayMs);
    });
  });
  await new Promise<void>((resolve, reject) => { server.once('error', reject); server.listen(opts.port ?? 0, '127.0.0.1', () => resolve()); });
  const port = (server.address() as AddressInfo).port;

  const api = {
    received: () => received.slice(),
    applied: () => received.filter((r) => r.answer === 'AA' && !r.repeat),
    addRule: (rule: PasRule) => { rules.push({ ...rule }); },
    setAckDelay: (ms: number) => { ackDelayMs = ms; },
    reset: () => { received = []; rules = []; accepted = new Set(); ackDelayMs = 0; },
  };

  // The control API (interfaces §6): read what arrived, script answers, reset.
  const control: HttpServer = createHttpServer((req, res) => {
    const send = (status: number, body: unknown) => { res.writeHead(status, { 'content-type': 'application/json' }); res.end(JSON.stringify(body)); };
    let raw = '';
    req.on('data', (c) => { raw += c; });
    req.on('end', () => {
      try {
        if (req.method === 'GET' && req.url === '/__control/messages') return send(200, api.received());
        if (req.method === 'POST' && req.url === '/__control/reset') { api.reset(); return send(200, { reset: true }); }
        if (req.method === 'POST' && req.url === '/__control/rules') {
          const rule = JSON.parse(raw || '{}') as PasRule;
          if (!['AA', 'AE', 'AR', 'none'].includes(rule.answer)) return send(400, { message: 'answer must be AA, AE, AR or none', errors: { answer: 'is not AA, AE, AR or none' } });
          api.addRule({ ...rule, times: Number.isInteger(rule.times) && rule.times > 0 ? rule.times : 1 });
          return send(201, rule);
        }
        if (req.method === 'POST' && req.url === '/__control/ack-delay') { api.setAckDelay(Number((JSON.parse(raw || '{}') as { ms?: number }).ms) || 0); return send(200, { ok: true }); }
        return send(404, { message: 'GET /__control/messages, POST /__control/rules {answer,times,event?,controlId?}, POST /__control/ack-delay {ms}, POST /__control/reset' });
      } catch {
        return send(400, { message: 'The body must be JSON' });
      }
    });
  });
  await new Promise<void>((resolve, reject) => { control.once('error', reject); control.listen(opts.controlPort ?? 0, '127.0.0.1', () => resolve()); });
  const controlUrl = `http://127.0.0.1:${(control.address() as AddressInfo).port}`;

  return {
    host: '127.0.0.1', port, controlUrl, ...api,
    async stop() {
      for (const s of sockets) s.destroy();
      await Promise.all([new Promise<void>((r) => server.close(() => r())), new Promise<void>((r) => control.close(() => r()))]);
    },
  };
}
