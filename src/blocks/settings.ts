import type { types } from '@slack/bolt';
import { viewSource } from '../restore/sources/index.ts';
import type { RestoreRequest } from '../restore/types.ts';
import { type AlarmInfo, SETTING_NAMES, type SettingRowView } from '../settings/types.ts';
import { escapeMrkdwn, who } from './format.ts';
import { actions, button, clip, code, context, header, link, message, section } from './kit.ts';
import { MAX_CONFIRM_TEXT, MAX_SECTION_TEXT, truncate } from './limits.ts';
import type { SlackMessage } from './types.ts';

/** The Copy settings button's action ID; its value is the request ID. */
export const SETTINGS_COPY_ACTION_ID = 'settings_copy';

/** The alarms the full view lists by name; more are counted. */
const MAX_ALARMS_LISTED = 10;

/** The CloudWatch console's alarm list, searched for the table's name. */
function consoleAlarmsUrl(region: string, table: string): string {
  const r = encodeURIComponent(region);
  return `https://${r}.console.aws.amazon.com/cloudwatch/home?region=${r}#alarmsV2:?search=${encodeURIComponent(table)}`;
}

/** One alarm in the CloudWatch console. */
function consoleAlarmUrl(region: string, name: string): string {
  const r = encodeURIComponent(region);
  return `https://${r}.console.aws.amazon.com/cloudwatch/home?region=${r}#alarmsV2:alarm/${encodeURIComponent(name)}`;
}

function labels(rows: SettingRowView[]): string {
  return rows.map((r) => SETTING_NAMES[r.key]).join(', ');
}

/**
 * What the confirm dialog lists (plain text, Slack's 300 characters): each change on the new
 * table, then that the source is not touched.
 */
export function copyConfirmText(req: RestoreRequest, rows: SettingRowView[]): string {
  const changes = rows.filter((r) => r.action === 'copy').map((r) => `${r.label}: ${r.note}`);
  // Names are cut to 60 characters so the list of changes keeps most of the 300.
  const tail = ` The source ${truncate(viewSource(req.source, new Date(0)).tableName, 60)} is only read.`;
  const head = `Changes ${truncate(req.targetTable, 60)}: `;
  return `${truncate(`${head}${changes.join('; ')}.`, MAX_CONFIRM_TEXT - tail.length)}${tail}`;
}

/** The Copy settings button with its confirm dialog, or nothing when there is nothing to copy. */
function copyButtonBlock(req: RestoreRequest, rows: SettingRowView[]): types.ActionsBlock | undefined {
  if (!rows.some((r) => r.action === 'copy')) return undefined;
  const source = viewSource(req.source, new Date(0)).tableName;
  return actions(`settings_copy_${req.id}`, [
    button({
      text: `Copy settings from ${source}`,
      actionId: SETTINGS_COPY_ACTION_ID,
      value: req.id,
      style: 'primary',
      confirm: {
        title: 'Copy settings to the new table?',
        text: copyConfirmText(req, rows),
        confirm: 'Copy settings',
        deny: 'Not now',
      },
    }),
  ]);
}

/**
 * The settings part of the ACTIVE reply, compact: what the bot can copy, what stays by hand, with
 * the Copy button (or a note that --copy-settings copies them now). Without a diff (the read
 * failed), the generic list of what a restore leaves out, and how to try again.
 */
export function activeSettingsBlocks(
  req: RestoreRequest,
  fallbackList: readonly string[],
): types.KnownBlock[] {
  const target = code(req.targetTable);
  const s = req.settings;
  if (!s?.rows) {
    const why = s?.compareError ? ` The bot could not compare them: ${clip(s.compareError, 600)}` : '';
    return [
      section(
        `:warning: *Not restored — set these up again on ${target} if the old table had them:*\n${fallbackList.map((x) => `• ${x}`).join('\n')}`,
      ),
      context([`${why ? `${why.trim()} ` : ''}\`/restore settings ${req.id}\` compares the two tables.`]),
    ];
  }
  const source = viewSource(req.source, new Date(0)).tableName;
  const copyable = s.rows.filter((r) => r.action === 'copy');
  const manual = s.rows.filter((r) => r.action === 'manual');
  const unknown = s.rows.filter((r) => r.action === 'unknown');
  const lines: string[] = [];
  const from = s.sourceOrigin === 'backup' ? `${code(source)}’s backup (the table is gone)` : code(source);
  if (copyable.length === 0 && manual.length === 0 && unknown.length === 0) {
    lines.push(`:white_check_mark: *Settings:* ${target} has the same settings as ${from}.`);
  } else {
    lines.push(`:gear: *Settings not restored* (compared with ${from}):`);
    if (copyable.length > 0) lines.push(`• *The bot can copy:* ${labels(copyable)}`);
    if (manual.length > 0) lines.push(`• *By hand:* ${labels(manual)}`);
    if (unknown.length > 0) lines.push(`• *Unknown:* ${labels(unknown)}`);
    const equal = s.rows.filter((r) => r.action === 'equal');
    if (equal.length > 0) lines.push(`• *Already the same:* ${labels(equal)}`);
    const alarms = manual.find((r) => r.key === 'alarms');
    if (alarms) {
      lines.push(
        `• ${link(consoleAlarmsUrl(req.region, source), `${clip(alarms.source, 40)} on ${clip(source, 200)} in CloudWatch`)} name the old table; IAM policies that name it need the new name too.`,
      );
    }
  }
  const blocks: types.KnownBlock[] = [section(lines.join('\n'))];
  const copy = s.copy;
  if (req.copySettings && !copy) {
    blocks.push(
      context([
        `--copy-settings was approved with the request: the bot copies them now; the result follows here.`,
      ]),
    );
  } else if (copy?.state === 'RUNNING') {
    blocks.push(context([`${who(copy.by)} started copying the settings; the result follows here.`]));
  } else {
    const buttonBlock = copyButtonBlock(req, s.rows);
    if (buttonBlock) blocks.push(buttonBlock);
  }
  blocks.push(context([`\`/restore settings ${req.id}\` shows every setting side by side.`]));
  return blocks;
}

function rowSection(row: SettingRowView): types.SectionBlock {
  const mark = {
    equal: ':heavy_check_mark:',
    copy: ':arrow_right:',
    manual: ':hand:',
    unknown: ':grey_question:',
  }[row.action];
  return section(
    `${mark} *${clip(row.label, 60)}* — source: ${clip(row.source, 400)} · new table: ${clip(row.target, 400)}\n${clip(row.note, 1500)}`,
  );
}

/**
 * `/restore settings REQUEST_ID`: every setting side by side, the alarms by name with console
 * links, and the Copy button when the clicker may press it.
 */
export function settingsMessage(input: {
  req: RestoreRequest;
  rows: SettingRowView[];
  sourceOrigin: 'table' | 'backup';
  alarms?: AlarmInfo[];
  offerCopy: boolean;
}): SlackMessage {
  const { req, rows } = input;
  const source = viewSource(req.source, new Date(0)).tableName;
  const origin =
    input.sourceOrigin === 'backup'
      ? `the backup of ${code(source)} (the table itself is gone, so only streams, TTL and encryption are known)`
      : `the live table ${code(source)}`;
  const blocks: types.KnownBlock[] = [
    header(`Settings of ${truncate(req.targetTable, 100)} — ${req.id}`),
    section(
      `${code(req.targetTable)} in *${clip(req.environment, 64)}* compared with ${origin}, read just now.`,
    ),
    ...rows.map(rowSection),
  ];
  const alarms = input.alarms ?? [];
  if (alarms.length > 0) {
    // Listed while they fit the section (links to long names are long), then counted.
    const intro = `*Alarms that name ${code(source, 100)}* — create copies for ${code(req.targetTable, 100)} by hand:`;
    const listed: string[] = [];
    let used = intro.length + 500;
    for (const a of alarms.slice(0, MAX_ALARMS_LISTED)) {
      const line = `• ${link(consoleAlarmUrl(req.region, a.name), clip(a.name, 120))}${a.metric ? ` (${clip(a.metric, 60)})` : ''}`;
      if (used + line.length + 1 > MAX_SECTION_TEXT) break;
      listed.push(line);
      used += line.length + 1;
    }
    const rest = alarms.length - listed.length;
    const more =
      rest > 0
        ? `\n…and ${rest} more: ${link(consoleAlarmsUrl(req.region, source), 'all in CloudWatch')}`
        : '';
    blocks.push(section(`${intro}\n${listed.join('\n')}${more}`));
  }
  const copyBlock = input.offerCopy ? copyButtonBlock(req, rows) : undefined;
  if (copyBlock) blocks.push(copyBlock);
  else if (req.settings?.copy?.state === 'RUNNING')
    blocks.push(context([`A copy is running (started by ${who(req.settings.copy.by)}).`]));
  blocks.push(
    context([
      `Request ${escapeMrkdwn(req.id)} · the bot only ever changes the new table; the source is read, never written.`,
    ]),
  );
  return message(
    `Settings of ${truncate(req.targetTable, 200)} compared with ${truncate(source, 200)}`,
    blocks,
  );
}
