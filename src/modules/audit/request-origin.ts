/** Where a request came from, as the audit log records it. */
export interface RequestOrigin {
  ip: string | null;
  requestId: string | null;
}

/** For changes Kiln makes itself (first-start admin), outside any request. */
export const SYSTEM_ORIGIN: RequestOrigin = { ip: null, requestId: null };
