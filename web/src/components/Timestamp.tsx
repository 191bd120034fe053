// An API time (ISO-8601 UTC) in the reader's locale, machine-readable in the markup.
export function Timestamp({ value, empty = '—' }: { value?: string | null; empty?: string }) {
  if (!value) return <>{empty}</>;
  return <time dateTime={value}>{new Date(value).toLocaleString()}</time>;
}
