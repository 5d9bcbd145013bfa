import {
  type ContributorInsightsInfo,
  type Reading,
  type RowAction,
  type ScalingTargetInfo,
  SETTING_KEYS,
  SETTING_LABELS,
  type SettingKey,
  type SettingRowView,
  type SettingValues,
  type TableSettings,
} from './types.ts';

/** One change the copy runner makes on the new table. */
export type CopyStep =
  | { key: 'ttl'; attribute: string }
  | { key: 'stream'; viewType: string }
  | { key: 'pitr'; recoveryPeriodDays: number }
  | { key: 'deletionProtection' }
  | { key: 'tags'; tags: Record<string, string> }
  | { key: 'tableClass'; tableClass: string }
  | { key: 'autoScaling'; targets: ScalingTargetInfo[] }
  | { key: 'contributorInsights'; table: boolean; indexes: string[] };

export interface SettingRow extends SettingRowView {
  /** Set when action is 'copy'. */
  step?: CopyStep;
}

/** The row without its copy step, as the request stores it. */
export function rowView(row: SettingRow): SettingRowView {
  const { step: _step, ...view } = row;
  return view;
}

const DASH = '—';
/** Tag keys AWS reserves; TagResource refuses them. */
const RESERVED_TAG_PREFIX = 'aws:';

type Judged = { action: RowAction; note: string; step?: CopyStep };

function same(): Judged {
  return { action: 'equal', note: 'Same' };
}

function manual(note: string): Judged {
  return { action: 'manual', note };
}

function copy(note: string, step: CopyStep): Judged {
  return { action: 'copy', note, step };
}

function onOff(value: boolean): string {
  return value ? 'On' : 'Off';
}

function scalingTargetText(t: ScalingTargetInfo): string {
  const policy = t.policies[0];
  const target = policy ? ` at ${policy.targetValue}%` : '';
  return `${t.index ?? 'table'} ${t.dimension === 'ReadCapacityUnits' ? 'read' : 'write'} ${t.min}–${t.max}${target}`;
}

function scalingText(targets: ScalingTargetInfo[]): string {
  if (targets.length === 0) return 'None';
  const table = targets.filter((t) => !t.index);
  const indexes = new Set(targets.flatMap((t) => (t.index ? [t.index] : [])));
  const parts = table.map(scalingTargetText);
  if (indexes.size > 0) parts.push(`${indexes.size} index${indexes.size === 1 ? '' : 'es'}`);
  return parts.join(', ');
}

function scalingKey(t: ScalingTargetInfo): string {
  return `${t.index ?? ''}/${t.dimension}`;
}

function scalingEqual(a: ScalingTargetInfo, b: ScalingTargetInfo): boolean {
  if (a.min !== b.min || a.max !== b.max) return false;
  return a.policies.every((p) =>
    b.policies.some(
      (q) => q.name === p.name && q.targetValue === p.targetValue && q.disableScaleIn === p.disableScaleIn,
    ),
  );
}

function insightsText(ci: ContributorInsightsInfo): string {
  if (!ci.table && ci.indexes.length === 0) return 'Off';
  const parts = [
    ci.table ? 'table' : undefined,
    ci.indexes.length > 0 ? `${ci.indexes.length} index(es)` : undefined,
  ];
  return `On (${parts.filter(Boolean).join(', ')})`;
}

function tagsText(tags: Record<string, string>): string {
  const n = Object.keys(tags).length;
  return n === 0 ? 'None' : `${n} tag${n === 1 ? '' : 's'}`;
}

/** Each setting's value in words, as the thread shows it. */
type AnyValue = SettingValues[SettingKey];

function describeValue(key: SettingKey, value: AnyValue): string {
  const v = value;
  switch (key) {
    case 'ttl':
      return v === null ? 'Off' : `On (\`${v as string}\`)`;
    case 'stream':
      return v === null ? 'Off' : `On (${v as string})`;
    case 'pitr':
      return v === null ? 'Off' : `On (${v as number} days)`;
    case 'deletionProtection':
      return onOff(v as boolean);
    case 'tags':
      return tagsText(v as Record<string, string>);
    case 'tableClass':
      return v === 'STANDARD_INFREQUENT_ACCESS' ? 'Standard-IA' : 'Standard';
    case 'autoScaling':
      return scalingText(v as ScalingTargetInfo[]);
    case 'contributorInsights':
      return insightsText(v as ContributorInsightsInfo);
    case 'kinesis': {
      const n = (v as SettingValues['kinesis']).length;
      return n === 0 ? 'None' : `${n} stream${n === 1 ? '' : 's'}`;
    }
    case 'resourcePolicy':
      return v === null ? 'None' : 'Attached';
    case 'sse':
      return v as string;
    case 'alarms': {
      const n = (v as SettingValues['alarms']).length;
      return n === 0 ? 'None' : `${n} alarm${n === 1 ? '' : 's'}`;
    }
  }
  return String(v);
}

interface Context {
  target: TableSettings;
}

/** The judgement for one setting whose both sides were read. */
function judge(key: SettingKey, s: AnyValue, t: AnyValue, ctx: Context): Judged {
  switch (key) {
    case 'ttl': {
      const [src, dst] = [s as string | null, t as string | null];
      if (src === dst) return same();
      if (src !== null && dst === null)
        return copy(`Turn TTL on for \`${src}\``, { key: 'ttl', attribute: src });
      if (src !== null)
        return manual(
          `The new table’s TTL uses \`${dst}\`; changing it means turning TTL off first (AWS then waits up to an hour)`,
        );
      return manual('The new table has TTL on and the source has not; turn it off by hand if that is wrong');
    }
    case 'stream': {
      const [src, dst] = [s as string | null, t as string | null];
      if (src === dst) return same();
      if (src !== null && dst === null)
        return copy(`Turn the stream on (${src})`, { key: 'stream', viewType: src });
      if (src !== null)
        return manual('The new table streams another view type; turn its stream off and on again by hand');
      return manual('The new table has a stream and the source has not; the bot never removes one');
    }
    case 'pitr': {
      const [src, dst] = [s as number | null, t as number | null];
      if (src === dst) return same();
      if (src !== null) return copy(`Turn PITR on (${src} days)`, { key: 'pitr', recoveryPeriodDays: src });
      return manual('The new table has PITR on and the source has not; the bot never turns protection off');
    }
    case 'deletionProtection': {
      if (s === t) return same();
      if (s === true) return copy('Turn deletion protection on', { key: 'deletionProtection' });
      return manual('The new table is protected and the source is not; the bot never turns protection off');
    }
    case 'tags': {
      const [src, dst] = [s as Record<string, string>, t as Record<string, string>];
      const reserved = Object.keys(src).filter((k) => k.startsWith(RESERVED_TAG_PREFIX));
      const missing = Object.fromEntries(
        Object.entries(src).filter(([k, v]) => !k.startsWith(RESERVED_TAG_PREFIX) && dst[k] !== v),
      );
      const n = Object.keys(missing).length;
      const reservedNote =
        reserved.length > 0 ? `; ${reserved.length} aws: tag(s) are AWS’s own and cannot be copied` : '';
      if (n === 0) return reserved.length > 0 ? manual(`Same${reservedNote}`) : same();
      return copy(`Add ${n} tag${n === 1 ? '' : 's'}${reservedNote}`, { key: 'tags', tags: missing });
    }
    case 'tableClass':
      if (s === t) return same();
      return copy(`Change the table class to ${describeValue('tableClass', s as string)}`, {
        key: 'tableClass',
        tableClass: s as string,
      });
    case 'autoScaling': {
      const [src, dst] = [s as ScalingTargetInfo[], t as ScalingTargetInfo[]];
      const have = new Map(dst.map((x) => [scalingKey(x), x]));
      const indexes = new Set(ctx.target.indexes ?? []);
      const differing = src.filter((x) => {
        const found = have.get(scalingKey(x));
        return !found || !scalingEqual(x, found);
      });
      if (differing.length === 0) return same();
      const dropped = differing.filter((x) => x.index !== undefined && !indexes.has(x.index));
      const wanted = differing.filter((x) => !dropped.includes(x));
      const droppedNote =
        dropped.length > 0
          ? `; skipped: index ${[...new Set(dropped.map((x) => x.index))].join(', ')} not in the new table`
          : '';
      if (wanted.length === 0) return manual(`Only indexes the new table has not${droppedNote}`);
      if (ctx.target.billingMode === 'PAY_PER_REQUEST') {
        return manual(
          'The new table is on-demand; auto scaling needs provisioned capacity (switch it with UpdateTable first)',
        );
      }
      return copy(
        `Register ${wanted.length} scaling target${wanted.length === 1 ? '' : 's'} with their policies${droppedNote}`,
        {
          key: 'autoScaling',
          targets: wanted,
        },
      );
    }
    case 'contributorInsights': {
      const [src, dst] = [s as ContributorInsightsInfo, t as ContributorInsightsInfo];
      const indexes = new Set(ctx.target.indexes ?? []);
      const table = src.table && !dst.table;
      const wanted = src.indexes.filter((i) => !dst.indexes.includes(i) && indexes.has(i));
      if (!table && wanted.length === 0) return same();
      const scopes = [
        table ? 'the table' : undefined,
        wanted.length > 0 ? `${wanted.length} index(es)` : undefined,
      ];
      return copy(`Turn contributor insights on for ${scopes.filter(Boolean).join(' and ')}`, {
        key: 'contributorInsights',
        table,
        indexes: wanted,
      });
    }
    case 'kinesis': {
      const [src, dst] = [s as SettingValues['kinesis'], t as SettingValues['kinesis']];
      const missing = src.filter((x) => !dst.some((y) => y.streamArn === x.streamArn));
      if (missing.length === 0) return same();
      return manual(
        'Not copied: both tables would write into the same Kinesis stream; enable it when the new table takes over',
      );
    }
    case 'resourcePolicy':
      if ((s === null) === (t === null)) return same();
      if (s !== null) {
        return manual(
          'Not copied: it names the source table and grants access to other principals; review it and attach it with the new table’s ARN',
        );
      }
      return manual('The new table has a policy the source has not');
    case 'sse':
      if (s === t) return same();
      return manual(
        'Encryption is chosen at restore (--sse-specification-override) or changed by hand with UpdateTable',
      );
    case 'alarms': {
      const n = (s as SettingValues['alarms']).length;
      if (n === 0) return same();
      return manual('Listed, not copied: create alarms for the new table by hand');
    }
  }
  return same();
}

function text(key: SettingKey, r: Reading<AnyValue> | undefined, missing: string): string {
  if (!r) return missing;
  if ('error' in r) return 'Could not read';
  return describeValue(key, r.value);
}

/**
 * The settings diff: one row per setting, in SETTING_KEYS order. Pure: the same two readings
 * always give the same rows, so the copy runner re-reads and re-diffs to be idempotent.
 */
export function buildSettingsDiff(source: TableSettings, target: TableSettings): SettingRow[] {
  const notRecorded = source.origin === 'backup' ? 'Not recorded' : 'Unknown';
  return SETTING_KEYS.map((key): SettingRow => {
    const s = source.settings[key] as Reading<AnyValue> | undefined;
    const t = target.settings[key] as Reading<AnyValue> | undefined;
    const base = {
      key,
      label: SETTING_LABELS[key],
      source: text(key, s, notRecorded),
      target: key === 'alarms' ? DASH : text(key, t, DASH),
    };
    if (!s) {
      const why =
        source.origin === 'backup'
          ? `The source table ${source.tableName} is gone and its backup does not record this`
          : 'The source’s value is unknown';
      return { ...base, action: 'unknown', note: why };
    }
    if ('error' in s) return { ...base, action: 'unknown', note: `Could not read the source: ${s.error}` };
    if (key === 'alarms') return { ...base, ...judge(key, s.value, [], { target }) };
    if (!t) return { ...base, action: 'unknown', note: 'The new table’s value is unknown' };
    if ('error' in t) return { ...base, action: 'unknown', note: `Could not read the new table: ${t.error}` };
    return { ...base, ...judge(key, s.value, t.value, { target }) };
  });
}

/** The rows the Copy button would change. */
export function copyableRows(rows: SettingRow[]): SettingRow[] {
  return rows.filter((r) => r.action === 'copy');
}
