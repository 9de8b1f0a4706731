// OpenTelemetry traces across API → workflow → activity (docs/operations.md "Traces"): on only when
// OTEL_EXPORTER_OTLP_ENDPOINT is set, and then set up once per process. Off, nothing is loaded.
// Spans carry ids and route patterns only: the SDK's interceptors name workflow and activity types and ids
// (our workflow ids hold no patient data), never their arguments.
import type { MiddlewareHandler } from 'hono';
import type { ClientInterceptors } from '@temporalio/client';
import type { InjectedSinks, WorkerInterceptors } from '@temporalio/worker';

export type Tracing = {
  /** For every Temporal Client that starts workflows or sends Updates. */
  client: ClientInterceptors;
  /** Activity interceptors and the sink the workflow sandbox exports its spans through. */
  worker: { interceptors: Pick<WorkerInterceptors, 'activity'>; sinks: InjectedSinks<never> };
  /** A span per HTTP request, the parent of whatever the request starts. */
  middleware: MiddlewareHandler;
  /** Sends what is buffered. */
  flush(): Promise<void>;
  shutdown(): Promise<void>;
};

let started: Promise<Tracing | undefined> | undefined;

/** The process's tracing, or undefined when OTEL_EXPORTER_OTLP_ENDPOINT is not set. */
export function tracingFromEnv(serviceName = process.env.OTEL_SERVICE_NAME || 'access-desk'): Promise<Tracing | undefined> {
  if (!process.env.OTEL_EXPORTER_OTLP_ENDPOINT) return Promise.resolve(undefined);
  return (started ??= startTracing(serviceName));
}

async function startTracing(serviceName: string): Promise<Tracing> {
  const [{ OTLPTraceExporter }, { BasicTracerProvider, BatchSpanProcessor }, { Resource }, { AsyncLocalStorageContextManager }, api, otel, { routePath }] = await Promise.all([
    import('@opentelemetry/exporter-trace-otlp-http'), import('@opentelemetry/sdk-trace-base'), import('@opentelemetry/resources'),
    import('@opentelemetry/context-async-hooks'), import('@opentelemetry/api'), import('@temporalio/interceptors-opentelemetry'), import('hono/route'),
  ]);
  // The exporter reads OTEL_EXPORTER_OTLP_ENDPOINT (and _HEADERS) itself and posts JSON to <endpoint>/v1/traces.
  const spanProcessor = new BatchSpanProcessor(new OTLPTraceExporter(), { scheduledDelayMillis: 1000 });
  const resource = new Resource({ 'service.name': serviceName });
  const provider = new BasicTracerProvider({ resource, spanProcessors: [spanProcessor] });
  // The active span follows each request through its awaits, so the Temporal client's interceptor finds it.
  provider.register({ contextManager: new AsyncLocalStorageContextManager().enable() });
  const tracer = api.trace.getTracer('access-desk-api');
  return {
    client: { workflow: [new otel.OpenTelemetryWorkflowClientInterceptor()] },
    worker: {
      interceptors: { activity: [(ctx) => ({ inbound: new otel.OpenTelemetryActivityInboundInterceptor(ctx), outbound: new otel.OpenTelemetryActivityOutboundInterceptor(ctx) })] },
      sinks: { exporter: otel.makeWorkflowExporter(spanProcessor, resource) } as never,
    },
    middleware: async (c, next) => {
      const span = tracer.startSpan(`HTTP ${c.req.method}`, { kind: api.SpanKind.SERVER, attributes: { 'http.request.method': c.req.method } });
      try {
        await api.context.with(api.trace.setSpan(api.context.active(), span), next);
      } finally {
        let route = 'unmatched';
        try { route = routePath(c) || route; } catch { /* none matched */ }
        // The route pattern, not the path: no ids in span names.
        span.updateName(`HTTP ${c.req.method} ${route}`);
        span.setAttributes({ 'http.route': route, 'http.response.status_code': c.res.status });
        if (c.res.status >= 500) span.setStatus({ code: api.SpanStatusCode.ERROR });
        span.end();
      }
    },
    flush: () => spanProcessor.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
}
