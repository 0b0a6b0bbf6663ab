import { session } from '../providers/session';
import { GraphQLRequestError, type GraphQLErrorEntry } from '../providers/graphqlClient';

/** What the console accepts; the API decides by content, these keep the picker to likely files. */
export const ACCEPTED = '.csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const EXTENSIONS = /\.(csv|xlsx)$/i;

export function isAcceptedFile(file: File): boolean {
  return EXTENSIONS.test(file.name);
}

export interface UploadProgress {
  loaded: number;
  total: number;
}

/**
 * POST /import as multipart form data with the signed-in user's token. XMLHttpRequest rather than
 * fetch: only it reports the upload's progress. Resolves with the new import's id; an error
 * answer becomes a GraphQLRequestError like any API refusal, so the screen words it from the
 * catalogue by code and field.
 */
export function uploadImport(
  file: File,
  { onProgress, signal, url = '/import' }: { onProgress?: (progress: UploadProgress) => void; signal?: AbortSignal; url?: string } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', url);
    const token = session.token();
    if (token) request.setRequestHeader('authorization', `Bearer ${token}`);
    request.setRequestHeader('accept', 'application/json');
    request.responseType = 'text';
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress?.({ loaded: event.loaded, total: event.total });
    };
    request.onload = () => {
      let body: { id?: string; import?: { id?: string }; errors?: GraphQLErrorEntry[] } | null = null;
      try {
        body = JSON.parse(request.responseText);
      } catch {
        body = null;
      }
      const id = body?.id ?? body?.import?.id;
      if (request.status >= 200 && request.status < 300 && typeof id === 'string') resolve(id);
      else
        reject(
          new GraphQLRequestError(body?.errors?.length ? body.errors : [{ message: `HTTP ${request.status}` }], request.status || 500),
        );
    };
    request.onerror = () =>
      reject(new GraphQLRequestError([{ message: 'The server cannot be reached', extensions: { code: 'NETWORK_ERROR' } }], 503));
    request.onabort = () => reject(new DOMException('The upload was cancelled', 'AbortError'));
    signal?.addEventListener('abort', () => request.abort(), { once: true });
    const form = new FormData();
    form.append('file', file, file.name);
    request.send(form);
  });
}

/** GET /import/:id/report.csv with the token, saved under the import's file name. */
export async function downloadReport(
  id: string,
  fileName: string,
  { url = `/import/${encodeURIComponent(id)}/report.csv` } = {},
): Promise<void> {
  const token = session.token();
  const response = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (!response.ok) {
    let errors: GraphQLErrorEntry[] | undefined;
    try {
      errors = ((await response.json()) as { errors?: GraphQLErrorEntry[] }).errors;
    } catch {
      errors = undefined;
    }
    throw new GraphQLRequestError(errors?.length ? errors : [{ message: `HTTP ${response.status}` }], response.status);
  }
  const blob = await response.blob();
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = `${fileName.replace(/\.(csv|xlsx)$/i, '')}-report.csv`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}
