import type { ShellContext } from './context';
import { failureMessages } from './jira-client';
import { failurePage } from './layout';

// An attachment's bytes, streamed from Jira's content endpoint to the browser
// unchanged, under the attachment's own file name.

export async function downloadAttachment(ctx: ShellContext, attachmentId: string): Promise<Response> {
  const content = await ctx.jira.attachmentContent(attachmentId);
  if (!content.ok || !content.body) {
    return failurePage(ctx, content.ok ? 502 : content.status, 'Attachment', await failureMessages(content));
  }
  const headers = new Headers();
  headers.set('content-type', content.headers.get('content-type') ?? 'application/octet-stream');
  const length = content.headers.get('content-length');
  if (length) headers.set('content-length', length);
  let disposition = content.headers.get('content-disposition');
  if (!disposition) {
    const meta = await ctx.jira.getAttachment(attachmentId);
    if (meta.ok) disposition = contentDisposition(meta.value.filename);
  }
  if (disposition) headers.set('content-disposition', disposition);
  headers.set('x-content-type-options', 'nosniff');
  return new Response(content.body, { status: 200, headers });
}

/** RFC 6266: a plain ASCII fallback plus the exact UTF-8 name. */
export function contentDisposition(filename: string): string {
  const fallback = filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}
