// Downloads that need the session's Authorization header, which a plain link cannot send:
// the file is fetched with the session and handed to the browser as a blob.
import { kiln, KilnProblemError } from './kiln';
import { problemOf } from '@kiln/client';

export async function downloadFromApi(path: string, fileName: string): Promise<void> {
  const response = await kiln.session.fetch(new Request(`${window.location.origin}${path}`));
  if (!response.ok) throw await problemOf(response);
  saveBlob(await response.blob(), fileName);
}

export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export { KilnProblemError };
