import { formatRelative, formatSpan, formatUtcSeconds } from '../../../blocks/format.ts';
import { code, MAX_ARN } from '../../../blocks/kit.ts';
import { truncate } from '../../../blocks/limits.ts';
import type { PitrRef, PitrSource, RestorePoint } from '../../types.ts';
import type { SourceViewModule } from '../types.ts';

/** "2026-12-02 09:55:00 UTC, 14 minutes before this request", or the latest restorable time. */
function describePoint(point: RestorePoint, requestedAt: string): string {
  if (point.kind === 'latest') return 'the latest restorable time, resolved when the restore starts';
  const before = Date.parse(requestedAt) - Date.parse(point.at);
  return `${formatUtcSeconds(point.at)}, ${formatSpan(before)} ${before >= 0 ? 'before' : 'after'} this request`;
}

/** How a point-in-time source reads in Slack and in the audit line. */
export const pitrView: SourceViewModule<PitrSource, PitrRef> = {
  kind: 'pitr',

  describeRef: (ref) =>
    `point-in-time recovery of table ${ref.table}${ref.region ? ` (${ref.region})` : ''} at ${ref.point.kind === 'time' ? formatUtcSeconds(ref.point.at) : 'its latest restorable time'}`,

  label: (source) =>
    `${source.tableName} at ${source.point.kind === 'time' ? formatUtcSeconds(source.point.at) : 'latest restorable time'}`,

  view(source, now) {
    const point = describePoint(source.point, source.checkedAt);
    const windowText = `Recovery window when requested: ${formatUtcSeconds(source.window.earliest)} to ${formatUtcSeconds(source.window.latest)} (${formatRelative(source.window.latest, now)})`;
    const at = source.point.kind === 'time' ? source.point.at : undefined;
    return {
      tableName: source.tableName,
      phrase: `${at ? `as it was at *${point}*` : `as of *${point}*`} (source region ${code(source.region, 32)})`,
      details: `${windowText} · ${code(source.tableArn, MAX_ARN)}`,
      confirm: (max) =>
        `table ${truncate(source.tableName, max)} (${source.region}) as it was at ${at ? `${formatUtcSeconds(at)} (${formatSpan(Date.parse(source.checkedAt) - Date.parse(at))} before the request)` : 'its latest restorable time'}`,
      restoredFrom: (used) =>
        `${code(source.tableName)} (${code(source.region, 32)}) as it was at *${used ? formatUtcSeconds(used) : at ? formatUtcSeconds(at) : 'its latest restorable time'}*${used ? ', the restore point DynamoDB used' : ''}`,
      startedText: `AWS is creating the table from the point-in-time recovery of ${code(source.tableName)} at ${at ? formatUtcSeconds(at) : 'its latest restorable time'}`,
    };
  },

  auditFields(source) {
    return {
      sourceTableArn: source.tableArn,
      restoreDateTime: source.point.kind === 'time' ? source.point.at : 'latest',
    };
  },
};
