// Attachments: multipart upload (part `file`, XSRF header required), metadata,
// byte-identical download, delete.
import { badRequest, issueNotFound, jiraError, json, noContent, notFound } from '../http/respond';
import type { Route } from '../http/route';
import type { SiteState } from '../state';
import type { AttachmentRow } from '../store/attachments';
import { addAttachments, deleteAttachment, type UploadedFile } from '../write/attachments';
import { guessMimeType } from '../model/mime';
import type { Access } from '../permissions/access';
import { refusals } from '../permissions/refusals';

/** Jira refuses multipart uploads without `X-Atlassian-Token: no-check` (its XSRF guard). */
function xsrfChecked(request: Request): boolean {
  const token = request.headers.get('x-atlassian-token')?.toLowerCase();
  return token === 'no-check' || token === 'nocheck';
}

/** The part's own type, unless it is missing or the generic octet-stream: then Jira goes by the name. */
function mimeTypeOf(part: File): string {
  const declared = part.type.split(';')[0]?.trim() ?? '';
  return declared === '' || declared === 'application/octet-stream' ? guessMimeType(part.name) : declared;
}

export function attachmentRoutes(state: SiteState): Route[] {
  const { stores, view, catalog } = state;
  const findAttachment = (ref: string | undefined): AttachmentRow | undefined =>
    ref && /^\d+$/.test(ref) ? stores.attachments.get(Number(ref)) : undefined;
  const noAttachment = (ref: string | undefined): Response => notFound(`The attachment with id '${ref}' does not exist`);
  /** The issue holding an attachment, when the caller may see it. */
  const visibleIssue = (access: Access, attachment: AttachmentRow) => {
    const issue = stores.issues.byId(attachment.issueId);
    return issue && access.canSee(issue) ? issue : undefined;
  };

  return [
    {
      method: 'POST', path: '/rest/api/3/issue/:issueIdOrKey/attachments', operationId: 'addAttachment',
      handle: async ({ params, request, actor }) => {
        if (!xsrfChecked(request)) {
          return new Response('XSRF check failed', { status: 403, headers: { 'content-type': 'text/plain;charset=UTF-8' } });
        }
        const access = state.access(actor);
        const issue = access.issue(params.issueIdOrKey);
        if (!issue) return issueNotFound();
        if (!access.has('CREATE_ATTACHMENTS', access.projectOf(issue))) return refusals.createAttachments();
        let form: FormData;
        try {
          form = await request.formData();
        } catch {
          return badRequest('The request is not a valid multipart/form-data upload.');
        }
        const files: UploadedFile[] = [];
        for (const part of form.getAll('file')) {
          if (typeof part === 'string') continue;
          if (part.size > catalog.site.attachmentMaxBytes) {
            return jiraError(413, [`The file '${part.name}' is larger than the attachment size limit of ${catalog.site.attachmentMaxBytes} bytes.`]);
          }
          files.push({
            filename: part.name || 'attachment',
            mimeType: mimeTypeOf(part),
            content: new Uint8Array(await part.arrayBuffer()),
          });
        }
        if (files.length === 0) return badRequest("No file was found in the multipart part named 'file'.");
        const rows = addAttachments(state, issue, files, actor);
        return json(200, rows.map((row) => view.attachment(row)));
      },
    },
    {
      method: 'GET', path: '/rest/api/3/attachment/content/:id', operationId: 'getAttachmentContent',
      // Jira Cloud answers 303 to its media store by default; clients follow it
      // (Forge's requestJira does), so the emulator serves the bytes directly.
      handle: ({ params, actor }) => {
        const attachment = findAttachment(params.id);
        const content = attachment && stores.attachments.content(attachment.id);
        if (!attachment || !content) return noAttachment(params.id);
        if (!visibleIssue(state.access(actor), attachment)) return refusals.viewAttachment(String(attachment.id));
        return new Response(new Uint8Array(content), {
          status: 200,
          headers: {
            'content-type': attachment.mimeType,
            'content-length': String(content.byteLength),
            'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(attachment.filename)}`,
          },
        });
      },
    },
    {
      method: 'GET', path: '/rest/api/3/attachment/:id', operationId: 'getAttachment',
      handle: ({ params, actor }) => {
        const attachment = findAttachment(params.id);
        if (!attachment) return noAttachment(params.id);
        if (!visibleIssue(state.access(actor), attachment)) return refusals.viewAttachment(String(attachment.id));
        return json(200, view.attachmentMetadata(attachment));
      },
    },
    {
      method: 'DELETE', path: '/rest/api/3/attachment/:id', operationId: 'removeAttachment',
      handle: ({ params, actor }) => {
        const attachment = findAttachment(params.id);
        const issue = attachment && stores.issues.byId(attachment.issueId);
        if (!attachment || !issue) return noAttachment(params.id);
        const access = state.access(actor);
        const project = access.projectOf(issue);
        const mayDelete =
          access.has('DELETE_ALL_ATTACHMENTS', project) ||
          (access.has('DELETE_OWN_ATTACHMENTS', project) && attachment.author === access.accountId);
        if (!access.canSee(issue) || !mayDelete) return refusals.deleteAttachment(String(attachment.id));
        deleteAttachment(state, issue, attachment, actor);
        return noContent();
      },
    },
  ];
}
