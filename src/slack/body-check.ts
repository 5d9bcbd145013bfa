/**
 * Refuses a request body that no listener could answer, with a 400, before Bolt sees it. Bolt's
 * HTTP receiver already answers 400 to a `payload=` that is not JSON, but its Lambda receiver
 * throws (the function fails and API Gateway answers 500), and neither answers a `block_actions`
 * payload without `actions` or a `view_submission` without a view: Bolt cannot tell its type,
 * calls no listener, and Slack shows its own timeout. No secret is involved: the same answer
 * comes before or after signature verification.
 */
export function malformedSlackBody(rawBody: string, contentType: string | undefined): string | undefined {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/json') {
    return parsesAsObject(rawBody) ? undefined : 'body is not a JSON object';
  }
  if (type !== 'application/x-www-form-urlencoded') return undefined;
  const payload = new URLSearchParams(rawBody).get('payload');
  if (payload === null) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    return 'payload is not JSON';
  }
  if (typeof parsed !== 'object' || parsed === null) return 'payload is not a JSON object';
  const body = parsed as { type?: unknown; actions?: unknown; view?: unknown };
  if (body.type === 'block_actions' && (!Array.isArray(body.actions) || body.actions.length === 0)) {
    return 'block_actions payload without actions';
  }
  if (
    (body.type === 'view_submission' || body.type === 'view_closed') &&
    (typeof body.view !== 'object' || body.view === null)
  ) {
    return `${body.type} payload without a view`;
  }
  return undefined;
}

function parsesAsObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null;
  } catch {
    return false;
  }
}
