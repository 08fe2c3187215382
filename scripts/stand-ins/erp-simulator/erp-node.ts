import type { AddressInfo } from 'node:net';
import http from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { operationOfSoapAction, readErpWsdl } from '../../../src/erp/erp-wsdl.js';
import { CallStats } from './call-stats.js';
import type { ErpDatabase } from './erp-database.js';
import { ErpOperations } from './erp-operations.js';
import { controlPatchSchema, NodeControl, type ControlState } from './node-control.js';
import { SoapEndpoint, unavailableFaultXml, type CallRecord } from './soap-endpoint.js';

export interface ErpNodeOptions {
  host: string;
  /** 0 = any free port. */
  port: number;
  db: ErpDatabase;
  control: ControlState;
  logger: Logger;
}

export interface ErpNode {
  /** `host:port`, the key of this node in /stats. */
  name: string;
  /** SOAP endpoint, e.g. http://127.0.0.1:3200/erp */
  url: string;
  statsUrl: string;
  controlUrl: string;
  control: NodeControl;
  close(): Promise<void>;
}

/**
 * One node of the simulated ERP farm: SOAP at /erp (WSDL at /erp?wsdl), GET /stats,
 * POST /stats/reset, GET|POST /control. /stats and /control keep answering while the node is
 * "down" so that a test can bring it back.
 */
export async function startErpNode(options: ErpNodeOptions): Promise<ErpNode> {
  const app = express();
  app.disable('x-powered-by');
  const server = http.createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const name = `${options.host}:${port}`;
  const base = `http://${options.host}:${port}`;
  const url = `${base}/erp`;
  const logger = options.logger.child({ node: name });
  const control = new NodeControl(options.control);
  const stats = new CallStats(options.db, name);
  // The WSDL names this node's own address, known only once listening (port 0 in tests).
  const wsdlXml = readErpWsdl(url);
  const endpoint = await SoapEndpoint.create(wsdlXml, new ErpOperations(options.db), stats);
  const closing = new AbortController();
  const inFlight = new Set<Promise<unknown>>();

  app.get('/stats', async (_req, res) => {
    res.json(await stats.read());
  });
  app.post('/stats/reset', async (_req, res) => {
    await stats.reset();
    res.json(await stats.read());
  });
  app.get('/control', (_req, res) => {
    res.json(control.state);
  });
  app.post('/control', express.json(), (req, res) => {
    const patch = controlPatchSchema.safeParse(req.body ?? {});
    if (!patch.success) {
      res.status(400).json({ error: patch.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`) });
      return;
    }
    logger.info({ control: patch.data }, 'control changed');
    res.json(control.apply(patch.data));
  });

  app.use('/erp', (_req, res, next) => {
    if (!control.state.down) return next();
    res.status(503).type('text/plain').send('ERP node down');
  });
  app.get('/erp', (req, res) => {
    if (!/[?&]wsdl(=|&|$)/i.test(req.originalUrl)) {
      res.status(400).type('text/plain').send('Use GET /erp?wsdl for the WSDL, POST /erp for SOAP calls');
      return;
    }
    res.type('application/xml').send(wsdlXml);
  });
  app.post('/erp', express.text({ type: () => true, limit: '1mb' }), (req, res) => {
    const work = answerSoap(req, res);
    inFlight.add(work);
    return work.finally(() => inFlight.delete(work));
  });
  app.use((err: Error, _req: Request, res: Response, _next: NextFunction) => {
    logger.error({ err }, 'request failed');
    if (!res.headersSent) res.status(500).type('text/plain').send('ERP simulator error');
  });

  async function answerSoap(req: Request, res: Response): Promise<void> {
    const started = performance.now();
    const soapAction = operationOfSoapAction(req.get('soapaction'));
    if (control.shouldFail(soapAction)) {
      await stats.countInjectedFailure();
      logger.info({ operation: soapAction, mode: control.state.failureMode }, 'ERP call failed (injected)');
      if (control.state.failureMode === 'http503')
        res.status(503).type('text/plain').send('ERP temporarily unavailable');
      else res.status(500).type('text/xml; charset=utf-8').send(unavailableFaultXml());
      return;
    }
    const record: CallRecord = {};
    const answer = await endpoint.handle(typeof req.body === 'string' ? req.body : '', req.headers, record);
    // The latency is added after the operation ran: like a slow ERP, the booking happens even when
    // the client has given up waiting, which is what makes submissionId idempotency matter.
    const latencyMs = control.latencyFor(record.operation ?? soapAction);
    if (latencyMs > 0) await delay(latencyMs, undefined, { signal: closing.signal }).catch(() => undefined);
    if (res.destroyed) return;
    res.status(answer.status).type(answer.contentType).send(answer.body);
    logger.info(
      {
        operation: record.operation,
        user: record.user,
        fault: record.fault,
        status: answer.status,
        durationMs: Math.round(performance.now() - started),
      },
      'ERP call',
    );
  }

  return {
    name,
    url,
    statsUrl: `${base}/stats`,
    controlUrl: `${base}/control`,
    control,
    async close() {
      closing.abort();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await Promise.allSettled([...inFlight]);
      await closed;
    },
  };
}
