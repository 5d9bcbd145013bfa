import { describe, expect, it } from 'vitest';
import { BOT_ACTOR, COPY_STALE_MS, decideCopyClaim } from '../../src/settings/claim.ts';
import { sampleRequest } from '../blocks/samples.ts';

const NOW = new Date('2026-11-24T18:00:00Z');
const active = sampleRequest({ status: 'ACTIVE', requesterId: 'U0REQUEST' });

describe('decideCopyClaim', () => {
  it('lets the requester and an approver claim a run of an ACTIVE request', () => {
    for (const [user, approver] of [
      ['U0REQUEST', false],
      ['U0APPROVER', true],
    ] as const) {
      const claim = decideCopyClaim(active, user, approver, NOW);
      expect(claim.ok).toBe(true);
      if (claim.ok) {
        expect(claim.request.settings?.copy).toEqual({
          state: 'RUNNING',
          by: user,
          startedAt: NOW.toISOString(),
          run: 1,
        });
        expect(claim.request.version).toBe(active.version + 1);
      }
    }
  });

  it('refuses anyone else, and changes nothing', () => {
    const claim = decideCopyClaim(active, 'U0STRANGER', false, NOW);
    expect(claim).toEqual({
      ok: false,
      message: expect.stringContaining('Only the requester or an approver of prod'),
    });
  });

  it('refuses before the new table is ACTIVE', () => {
    for (const status of ['PENDING', 'APPROVED', 'RESTORING', 'FAILED'] as const) {
      const claim = decideCopyClaim({ ...active, status }, 'U0REQUEST', false, NOW);
      expect(claim).toEqual({ ok: false, message: expect.stringContaining(`is ${status}`) });
    }
  });

  it('refuses a second run while one is running, and allows it once that one is done or stale', () => {
    const running = decideCopyClaim(active, 'U0REQUEST', false, NOW);
    if (!running.ok) throw new Error('claim');
    const second = decideCopyClaim(running.request, 'U0APPROVER', true, NOW);
    expect(second).toEqual({ ok: false, message: expect.stringContaining('already being copied') });

    const done = {
      ...running.request,
      settings: { copy: { ...running.request.settings!.copy!, state: 'DONE' as const } },
    };
    const again = decideCopyClaim(done, 'U0APPROVER', true, NOW);
    expect(again.ok && again.request.settings?.copy?.run).toBe(2);

    const later = new Date(NOW.getTime() + COPY_STALE_MS + 1);
    expect(decideCopyClaim(running.request, 'U0APPROVER', true, later).ok).toBe(true);
  });

  it('lets the bot claim for --copy-settings', () => {
    const claim = decideCopyClaim({ ...active, copySettings: true }, BOT_ACTOR, false, NOW);
    expect(claim.ok && claim.request.settings?.copy?.by).toBe(BOT_ACTOR);
  });
});

describe('/restore settings and --copy-settings parsing', () => {
  it('reads --copy-settings on a backup and on a point-in-time request, and settings REQUEST_ID', async () => {
    const { parseRestoreCommand } = await import('../../src/commands/restore.ts');
    expect(parseRestoreCommand('nightly orders-restored --copy-settings')).toMatchObject({
      copySettings: true,
    });
    expect(parseRestoreCommand('nightly orders-restored')).not.toHaveProperty('copySettings');
    expect(parseRestoreCommand('pitr orders orders-restored --latest --copy-settings', NOW)).toMatchObject({
      copySettings: true,
    });
    expect(parseRestoreCommand('settings r-7k3qx9')).toEqual({ kind: 'settings', requestId: 'R-7K3QX9' });
    expect(() => parseRestoreCommand('settings R-7K3QX9 extra')).toThrow();
    expect(() => parseRestoreCommand('nightly orders-restored --copy-settings=yes')).toThrow(
      /takes no value/,
    );
  });
});
