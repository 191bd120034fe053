// Kiln job ids (any non-empty string, e.g. `launch:42:1`) as BullMQ accepts them: BullMQ
// rejects ids that are plain integers or hold ':'. The mapping is deterministic, so the
// same Kiln id always lands on the same BullMQ id and de-duplication still holds.

/** Makes every encoded id start with a letter, so it can never parse as an integer. */
const MARK = 'k';

export function toBullmqJobId(jobId: string): string {
  // encodeURIComponent escapes ':' and '%', and is reversible, so distinct ids stay distinct.
  return MARK + encodeURIComponent(jobId);
}

export function fromBullmqJobId(bullmqId: string | undefined): string {
  if (!bullmqId?.startsWith(MARK)) return bullmqId ?? '';
  return decodeURIComponent(bullmqId.slice(MARK.length));
}
