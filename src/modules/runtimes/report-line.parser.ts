// Parses the lines a training process prints to report on itself:
//   KILN_METRIC {"name":"loss","step":10,"value":0.31}
//   KILN_PROGRESS 0.45
// Every runtime feeds each output line through this, so local and Kubernetes runs
// report the same way. Anything malformed is ordinary output, never an error.

export type ReportLine =
  | { kind: 'metric'; name: string; step?: number; value: number }
  | { kind: 'progress'; fraction: number };

const METRIC_PREFIX = 'KILN_METRIC ';
const PROGRESS_PREFIX = 'KILN_PROGRESS ';
const METRIC_NAME = /^[A-Za-z0-9_.:/-]{1,128}$/;

export function parseReportLine(line: string): ReportLine | undefined {
  const text = line.trim();
  if (text.startsWith(PROGRESS_PREFIX)) return parseProgress(text.slice(PROGRESS_PREFIX.length));
  if (text.startsWith(METRIC_PREFIX)) return parseMetric(text.slice(METRIC_PREFIX.length));
  return undefined;
}

function parseProgress(text: string): ReportLine | undefined {
  const fraction = Number(text.trim());
  if (text.trim() === '' || !Number.isFinite(fraction)) return undefined;
  return { kind: 'progress', fraction: Math.min(1, Math.max(0, fraction)) };
}

function parseMetric(text: string): ReportLine | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { name, step, value } = parsed as Record<string, unknown>;
  if (typeof name !== 'string' || !METRIC_NAME.test(name)) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
  // a safe integer, as the REST report requires: 1e300 is an integer to JavaScript, not to a database
  if (step !== undefined && !(typeof step === 'number' && Number.isSafeInteger(step) && step >= 0))
    return undefined;
  return step === undefined
    ? { kind: 'metric', name, value }
    : { kind: 'metric', name, step, value };
}
