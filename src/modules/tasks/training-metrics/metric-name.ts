/**
 * What a metric may be called. The same rule as the KILN_METRIC line parser
 * (src/modules/runtimes/report-line.parser.ts), so a name a run may print it may also POST.
 */
export const METRIC_NAME_PATTERN = /^[A-Za-z0-9_.:/-]{1,128}$/;
