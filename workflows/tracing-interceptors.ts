// OpenTelemetry in the workflow sandbox (docs/operations.md "Traces"), bundled as a workflow interceptor module.
// Only a run started (or an Update sent) by a traced client carries the trace header: only then are the SDK's
// interceptors loaded and used. Untraced runs, and every recorded history, run exactly as without this module,
// and no cached pathway carries the OpenTelemetry modules' cost.
import type { WorkflowInboundCallsInterceptor, WorkflowInterceptors, WorkflowOutboundCallsInterceptor } from '@temporalio/workflow';

const TRACE_HEADER = '_tracer-data'; // @temporalio/interceptors-opentelemetry's header
declare const require: (id: string) => unknown;

type Otel = {
  OpenTelemetryInboundInterceptor: new () => WorkflowInboundCallsInterceptor;
  OpenTelemetryOutboundInterceptor: new () => WorkflowOutboundCallsInterceptor;
};

export const interceptors = (): WorkflowInterceptors => {
  let inbound: WorkflowInboundCallsInterceptor | undefined;
  let outbound: WorkflowOutboundCallsInterceptor | undefined;
  const start = () => {
    if (inbound) return;
    // Loaded lazily: webpack keeps it in the bundle, but it is evaluated only for a traced run.
    const otel = require('@temporalio/interceptors-opentelemetry/lib/workflow') as Otel;
    inbound = new otel.OpenTelemetryInboundInterceptor();
    outbound = new otel.OpenTelemetryOutboundInterceptor();
  };
  const traced = (headers: Record<string, unknown>) => {
    if (headers[TRACE_HEADER]) start();
    return inbound;
  };
  return {
    inbound: [{
      execute: (input, next) => traced(input.headers)?.execute!(input, next) ?? next(input),
      handleSignal: (input, next) => traced(input.headers)?.handleSignal!(input, next) ?? next(input),
      handleUpdate: (input, next) => traced(input.headers)?.handleUpdate!(input, next) ?? next(input),
    }],
    outbound: [{
      scheduleActivity: (input, next) => outbound?.scheduleActivity!(input, next) ?? next(input),
      scheduleLocalActivity: (input, next) => outbound?.scheduleLocalActivity!(input, next) ?? next(input),
      startChildWorkflowExecution: (input, next) => outbound?.startChildWorkflowExecution!(input, next) ?? next(input),
      continueAsNew: (input, next) => outbound?.continueAsNew!(input, next) ?? next(input),
      signalWorkflow: (input, next) => outbound?.signalWorkflow!(input, next) ?? next(input),
    }],
  };
};
