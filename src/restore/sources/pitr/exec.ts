import {
  dynamoDbRestoreTargetStatements,
  sessionScopeOf,
  sourceTableArn,
} from '../../../aws/session-policy.ts';
import type { TargetAccount } from '../../../aws/types.ts';
import { formatSpan, formatUtc, formatUtcSeconds } from '../../../blocks/format.ts';
import type { PitrRef, PitrSource } from '../../types.ts';
import type { Resolution, SourceContext, SourceExecModule } from '../types.ts';

/** `arn:aws:dynamodb:REGION:ACCOUNT:table/NAME` (no backup, index or stream suffix). */
export const TABLE_ARN = /^arn:(aws[a-z-]*):dynamodb:([a-z0-9-]+):(\d{12}):table\/([A-Za-z0-9_.-]{3,255})$/;

/** "recovery is possible from … to …, about 5 minutes ago" */
function describeWindow(window: { earliest: string; latest: string }, now: Date): string {
  return `recovery is possible from ${formatUtcSeconds(window.earliest)} to ${formatUtcSeconds(window.latest)}, about ${formatSpan(now.getTime() - Date.parse(window.latest))} ago`;
}

function where(ctx: SourceContext, region: string): string {
  return `*${ctx.envName}* (account ${ctx.env.accountId}, ${region})`;
}

/** Where a table name or ARN points: its name and region, or a refusal. */
function locate(ref: PitrRef, ctx: SourceContext): { name: string; region: string } | { refused: string } {
  const arn = TABLE_ARN.exec(ref.table);
  if (!arn) return { name: ref.table, region: ref.region ?? ctx.env.region };
  const [, , region, account, name] = arn as unknown as [string, string, string, string, string];
  if (account !== ctx.env.accountId) {
    return {
      refused: `Table ${name} is in account ${account}, but environment *${ctx.envName}* is account ${ctx.env.accountId}. A point-in-time restore stays in one account: pass --env for the environment of account ${account}.`,
    };
  }
  if (ref.region && ref.region !== region) {
    return {
      refused: `--source-region ${ref.region} contradicts the table ARN, which is in ${region}. Leave --source-region out when you give an ARN.`,
    };
  }
  return { name, region };
}

/** The answer for a source table that does not exist: a deleted table has no window, but maybe a SYSTEM backup. */
async function missingTable(target: TargetAccount, ctx: SourceContext, name: string, region: string) {
  const head = `Table ${name} does not exist in ${where(ctx, region)}, so there is nothing to restore to a point in time (a deleted table has no recovery window).`;
  const list = `/backups ${name} --type SYSTEM${ctx.envName ? ` --env ${ctx.envName}` : ''}`;
  if (region !== ctx.env.region) {
    return `${head} If it was deleted, its SYSTEM backup is in ${region}; check the name (names are case-sensitive) and --source-region.`;
  }
  try {
    const system = await target.listBackups({ tableName: name, type: 'SYSTEM' });
    const newest = system[0];
    if (newest) {
      return `${head} DynamoDB kept a SYSTEM backup when it was deleted: ${newest.name} (created ${formatUtc(newest.createdAt)}). Restore that instead: \`/restore ${newest.arn} TARGET_TABLE\`, or list them with \`${list}\`.`;
    }
  } catch {
    // The listing is only a hint; without it the answer still says what to do.
  }
  return `${head} If it was deleted with point-in-time recovery on, DynamoDB kept a SYSTEM backup: \`${list}\`. Otherwise check the name (names are case-sensitive), --env and --source-region.`;
}

/** A table restored as it was at a point in time: RestoreTableToPointInTime. */
export const pitrExec: SourceExecModule<PitrSource, PitrRef> = {
  kind: 'pitr',
  startOperation: 'RestoreTableToPointInTime',

  async resolve(target, ref, ctx): Promise<Resolution<PitrSource>> {
    const located = locate(ref, ctx);
    if ('refused' in located) return located;
    const { name, region } = located;
    const table = await target.describeTable(name, region);
    if (!table) return { refused: await missingTable(target, ctx, name, region) };
    const pitr = await target.describeContinuousBackups(name, region);
    if (!pitr.enabled || !pitr.earliest || !pitr.latest) {
      return {
        refused: `Point-in-time recovery is not enabled on table ${name} in ${where(ctx, region)}, so it cannot be restored to a point in time. Restore one of its backups instead: /backups ${name}. (Turn point-in-time recovery on for the future in the table's Backups tab.)`,
      };
    }
    const window = { earliest: pitr.earliest, latest: pitr.latest };
    if (ref.point.kind === 'time') {
      const at = Date.parse(ref.point.at);
      const shown = formatUtcSeconds(ref.point.at);
      if (at < Date.parse(window.earliest)) {
        return {
          refused: `${shown} is before the recovery window of table ${name}: ${describeWindow(window, ctx.now)}. Choose a time inside it, or restore a backup (/backups ${name}).`,
        };
      }
      if (at > Date.parse(window.latest)) {
        return {
          refused: `${shown} is after the latest restorable time of table ${name} (DynamoDB trails the present by a few minutes): ${describeWindow(window, ctx.now)}. Choose an earlier time, or --latest.`,
        };
      }
    }
    const known = [...(table.globalSecondaryIndexes ?? []), ...(table.localSecondaryIndexes ?? [])];
    const drop = ctx.overrides.dropIndexes;
    const unknown = Array.isArray(drop) ? drop.filter((index) => !known.includes(index)) : [];
    if (unknown.length > 0) {
      return {
        refused: `--drop-indexes names ${unknown.join(', ')}, which table ${name} does not have. Its indexes: ${known.join(', ') || 'none'}.`,
      };
    }
    const source: PitrSource = {
      kind: 'pitr',
      tableName: name,
      tableArn: table.arn ?? sourceTableArn(sessionScopeOf(ctx.env), name, region),
      region,
      point: ref.point,
      window,
      checkedAt: ctx.now.toISOString(),
    };
    if (table.itemCount !== undefined) source.itemCount = table.itemCount;
    if (table.sizeBytes !== undefined) source.sizeBytes = table.sizeBytes;
    if (table.globalSecondaryIndexes) source.globalSecondaryIndexes = table.globalSecondaryIndexes;
    if (table.localSecondaryIndexes) source.localSecondaryIndexes = table.localSecondaryIndexes;
    return { source };
  },

  start(target, { source, targetTable, overrides }) {
    return target.restoreTableToPointInTime({
      sourceTableArn: source.tableArn,
      sourceTableName: source.tableName,
      sourceRegion: source.region,
      targetTable,
      overrides,
      ...(source.point.kind === 'time' ? { restoreDateTime: source.point.at } : {}),
    });
  },

  restoredFrom(table, source) {
    if (table.sourceBackupArn || table.sourceTableArn !== source.tableArn) return false;
    if (source.point.kind === 'latest') return true;
    const used = Date.parse(table.restoreDateTime ?? '');
    // DynamoDB restores to the second; the stored point may carry milliseconds.
    return Math.abs(used - Date.parse(source.point.at)) < 1000;
  },

  sessionStatements(source) {
    // RestoreTableToPointInTime is authorised on the source table and on the new table; the
    // target-table statement is common to every source kind.
    return [
      {
        Sid: 'RestoreFromThisTable',
        Effect: 'Allow',
        Action: [
          'dynamodb:RestoreTableToPointInTime',
          'dynamodb:DescribeContinuousBackups',
          'dynamodb:DescribeTable',
        ],
        Resource: [source.tableArn],
      },
    ];
  },

  targetStatements(_source, targetTableArn, scope) {
    return dynamoDbRestoreTargetStatements('RestoreTableToPointInTime', targetTableArn, scope);
  },

  settingsSource(source) {
    // No backup describes a point in time: a deleted source has nothing recorded.
    return { tableName: source.tableName };
  },
};
