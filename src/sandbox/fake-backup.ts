/**
 * AWS Backup for the fake AWS (`fake-aws.ts`): the restJson1 operations the bot uses for DynamoDB
 * recovery points, answered from memory as the real service shapes them, so the real
 * `@aws-sdk/client-backup` is what talks to it.
 *
 * - `GET  /backup-vaults`                                          ListBackupVaults
 * - `GET  /resources/{ResourceArn}/recovery-points`                ListRecoveryPointsByResource
 * - `GET  /backup-vaults/{Vault}/recovery-points/{Arn}`            DescribeRecoveryPoint
 * - `GET  /backup-vaults/{Vault}/recovery-points/{Arn}/restore-metadata`  GetRecoveryPointRestoreMetadata
 * - `PUT  /restore-jobs`                                           StartRestoreJob
 * - `GET  /restore-jobs/{RestoreJobId}`                            DescribeRestoreJob
 *
 * A restore job moves one step per DescribeRestoreJob: PENDING, then RUNNING (the target table
 * appears, CREATING), then COMPLETED (or the outcome set with `endNextJob`). Errors go on the wire
 * as restJson1 does: status code, `x-amzn-errortype` header and a `{"Message": ...}` body.
 */
import { createHash } from 'node:crypto';
import { AwsWireError, pageOf, uuidFrom } from './wire.ts';

export type RecoveryPointStatus =
  | 'COMPLETED'
  | 'PARTIAL'
  | 'DELETING'
  | 'EXPIRED'
  | 'AVAILABLE'
  | 'STOPPED'
  | 'CREATING';
export type StorageClass = 'WARM' | 'COLD' | 'DELETED';
export type RestoreJobStatus = 'PENDING' | 'RUNNING' | 'COMPLETED' | 'ABORTED' | 'FAILED';

export interface FakeRecoveryPoint {
  arn: string;
  vaultName: string;
  vaultArn: string;
  resourceArn: string;
  resourceType: string;
  resourceName: string;
  status: RecoveryPointStatus;
  statusMessage?: string;
  createdAt: Date;
  completedAt?: Date;
  sizeBytes: number;
  itemCount: number;
  storageClass: StorageClass;
  moveToColdStorageAfterDays?: number;
  deleteAfterDays?: number;
  iamRoleArn: string;
  encryptionKeyArn: string;
}

export interface AddRecoveryPointInput {
  tableName: string;
  createdAt: Date;
  vaultName?: string;
  status?: RecoveryPointStatus;
  statusMessage?: string;
  sizeBytes?: number;
  itemCount?: number;
  storageClass?: StorageClass;
  moveToColdStorageAfterDays?: number;
  deleteAfterDays?: number;
  /** Default DynamoDB; e.g. 'EBS' for a recovery point of another kind of resource. */
  resourceType?: string;
  /** Default the table's ARN in the fake's account. */
  resourceArn?: string;
  /** Use a fixed ARN (e.g. one in another account) instead of the generated one. */
  arn?: string;
}

export interface FakeRestoreJob {
  id: string;
  recoveryPointArn: string;
  iamRoleArn: string;
  idempotencyToken?: string;
  metadata: Record<string, string>;
  resourceType?: string;
  status: RestoreJobStatus;
  statusMessage?: string;
  createdAt: Date;
  completedAt?: Date;
  createdResourceArn?: string;
  /** The status the job ends in after RUNNING. */
  outcome: { status: 'COMPLETED' | 'ABORTED' | 'FAILED'; message?: string };
}

/** What the backup service needs from the rest of the fake AWS. */
export interface FakeBackupHost {
  readonly region: string;
  readonly accountId: string;
  now(): Date;
  tableArn(tableName: string): string;
  /** A restore job reached RUNNING: the target table now exists, CREATING. */
  createRestoredTable(input: { tableName: string; recoveryPoint: FakeRecoveryPoint }): void;
  hasTable(tableName: string): boolean;
}

const ISO_EPOCH = (date: Date) => date.getTime() / 1000;
const DAY_MS = 24 * 3600_000;

/** The in-memory AWS Backup of one account and region. */
export class FakeBackupService {
  readonly vaults = new Set<string>(['Default']);
  readonly recoveryPoints = new Map<string, FakeRecoveryPoint>();
  readonly restoreJobs = new Map<string, FakeRestoreJob>();
  /** Most recovery points (and vaults) one list page returns. Default 2, so pagination is exercised. */
  pageSize = 2;
  private nextOutcome: FakeRestoreJob['outcome'] | undefined;
  private seq = 0;

  constructor(private readonly host: FakeBackupHost) {}

  /** Adds a recovery point of `tableName` in `vaultName` (created if new). Returns it. */
  addRecoveryPoint(input: AddRecoveryPointInput): FakeRecoveryPoint {
    this.seq += 1;
    const vaultName = input.vaultName ?? 'Default';
    this.vaults.add(vaultName);
    const id = uuidFrom(`${input.tableName}/${input.createdAt.getTime()}/${this.seq}`).toUpperCase();
    const { region, accountId } = this.host;
    const point: FakeRecoveryPoint = {
      arn: input.arn ?? `arn:aws:backup:${region}:${accountId}:recovery-point:${id}`,
      vaultName,
      vaultArn: this.vaultArn(vaultName),
      resourceArn: input.resourceArn ?? this.host.tableArn(input.tableName),
      resourceType: input.resourceType ?? 'DynamoDB',
      resourceName: input.tableName,
      status: input.status ?? 'COMPLETED',
      createdAt: input.createdAt,
      sizeBytes: input.sizeBytes ?? 4096,
      itemCount: input.itemCount ?? 25,
      storageClass: input.storageClass ?? 'WARM',
      iamRoleArn: `arn:aws:iam::${accountId}:role/service-role/AWSBackupDefaultServiceRole`,
      encryptionKeyArn: `arn:aws:kms:${region}:${accountId}:key/backup-vault-key`,
    };
    if ((input.status ?? 'COMPLETED') === 'COMPLETED') {
      point.completedAt = new Date(input.createdAt.getTime() + 5 * 60_000);
    }
    if (input.statusMessage !== undefined) point.statusMessage = input.statusMessage;
    if (input.moveToColdStorageAfterDays !== undefined) {
      point.moveToColdStorageAfterDays = input.moveToColdStorageAfterDays;
    }
    if (input.deleteAfterDays !== undefined) point.deleteAfterDays = input.deleteAfterDays;
    this.recoveryPoints.set(point.arn, point);
    return point;
  }

  /** The next restore job started ends this way after RUNNING instead of COMPLETED. */
  endNextJob(status: 'ABORTED' | 'FAILED', message: string): void {
    this.nextOutcome = { status, message };
  }

  vaultArn(vaultName: string): string {
    return `arn:aws:backup:${this.host.region}:${this.host.accountId}:backup-vault:${vaultName}`;
  }

  /**
   * Routes one restJson1 request. `path` is the raw request path (labels percent-encoded).
   * Returns the operation name (for the call log) and a function that computes the answer.
   */
  route(
    method: string,
    rawPath: string,
    body: string,
  ): { operation: string; params: Record<string, unknown>; run: () => Record<string, unknown> } {
    const url = new URL(rawPath, 'http://fake');
    const segments = url.pathname
      .split('/')
      .filter((s) => s !== '')
      .map((s) => decodeURIComponent(s));
    const query = Object.fromEntries(url.searchParams);
    const json = (): Record<string, unknown> => {
      if (!body) return {};
      try {
        return JSON.parse(body) as Record<string, unknown>;
      } catch {
        throw new AwsWireError('SerializationException', 'Malformed JSON body');
      }
    };
    const [first, second, third, fourth, fifth] = segments;
    if (method === 'GET' && first === 'backup-vaults' && segments.length === 1) {
      return { operation: 'ListBackupVaults', params: query, run: () => this.listBackupVaults(query) };
    }
    if (method === 'GET' && first === 'resources' && third === 'recovery-points' && segments.length === 3) {
      const params = { ResourceArn: second, ...query };
      return {
        operation: 'ListRecoveryPointsByResource',
        params,
        run: () => this.listRecoveryPointsByResource(second ?? '', query),
      };
    }
    if (method === 'GET' && first === 'backup-vaults' && third === 'recovery-points' && fourth) {
      const params = { BackupVaultName: second, RecoveryPointArn: fourth, ...query };
      if (segments.length === 4) {
        return {
          operation: 'DescribeRecoveryPoint',
          params,
          run: () => this.describeRecoveryPoint(second ?? '', fourth),
        };
      }
      if (segments.length === 5 && fifth === 'restore-metadata') {
        return {
          operation: 'GetRecoveryPointRestoreMetadata',
          params,
          run: () => this.restoreMetadata(second ?? '', fourth),
        };
      }
    }
    if (method === 'PUT' && first === 'restore-jobs' && segments.length === 1) {
      const params = json();
      return { operation: 'StartRestoreJob', params, run: () => this.startRestoreJob(params) };
    }
    if (method === 'GET' && first === 'restore-jobs' && second && segments.length === 2) {
      return {
        operation: 'DescribeRestoreJob',
        params: { RestoreJobId: second },
        run: () => this.describeRestoreJob(second),
      };
    }
    return {
      operation: `${method} ${url.pathname}`,
      params: query,
      run: () => {
        throw new AwsWireError(
          'UnknownOperationException',
          `fake-aws does not implement Backup ${method} ${url.pathname}`,
          404,
        );
      },
    };
  }

  private page<T>(items: T[], query: Record<string, string>): { items: T[]; next?: string } {
    const size = Math.min(query.maxResults ? Number(query.maxResults) : 1000, this.pageSize);
    const { items: page, nextToken } = pageOf(items, query.nextToken, size);
    return nextToken ? { items: page, next: nextToken } : { items: page };
  }

  private listBackupVaults(query: Record<string, string>): Record<string, unknown> {
    const { items, next } = this.page([...this.vaults].sort(), query);
    return {
      BackupVaultList: items.map((name) => ({
        BackupVaultName: name,
        BackupVaultArn: this.vaultArn(name),
        CreationDate: ISO_EPOCH(new Date('2026-01-01T00:00:00Z')),
        NumberOfRecoveryPoints: [...this.recoveryPoints.values()].filter((p) => p.vaultName === name).length,
      })),
      ...(next ? { NextToken: next } : {}),
    };
  }

  private listRecoveryPointsByResource(resourceArn: string, query: Record<string, string>) {
    if (!resourceArn.startsWith('arn:')) {
      throw new AwsWireError('InvalidParameterValueException', `Invalid resource ARN: ${resourceArn}`);
    }
    const points = [...this.recoveryPoints.values()]
      .filter((p) => p.resourceArn === resourceArn && p.storageClass !== 'DELETED')
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
    const { items, next } = this.page(points, query);
    return {
      RecoveryPoints: items.map((p) => ({
        RecoveryPointArn: p.arn,
        CreationDate: ISO_EPOCH(p.createdAt),
        Status: p.status,
        ...(p.statusMessage ? { StatusMessage: p.statusMessage } : {}),
        EncryptionKeyArn: p.encryptionKeyArn,
        BackupSizeBytes: p.sizeBytes,
        BackupVaultName: p.vaultName,
        IsParent: false,
        ResourceName: p.resourceName,
        VaultType: 'BACKUP_VAULT',
      })),
      ...(next ? { NextToken: next } : {}),
    };
  }

  private requirePoint(vaultName: string, arn: string): FakeRecoveryPoint {
    if (!this.vaults.has(vaultName)) {
      throw new AwsWireError('ResourceNotFoundException', `Backup vault ${vaultName} does not exist`, 404);
    }
    const point = this.recoveryPoints.get(arn);
    if (!point || point.vaultName !== vaultName) {
      throw new AwsWireError(
        'ResourceNotFoundException',
        `Recovery point ${arn} does not exist in backup vault ${vaultName}`,
        404,
      );
    }
    return point;
  }

  private describeRecoveryPoint(vaultName: string, arn: string): Record<string, unknown> {
    const p = this.requirePoint(vaultName, arn);
    const lifecycle: Record<string, number> = {};
    const calculated: Record<string, number> = {};
    if (p.moveToColdStorageAfterDays !== undefined) {
      lifecycle.MoveToColdStorageAfterDays = p.moveToColdStorageAfterDays;
      calculated.MoveToColdStorageAt = ISO_EPOCH(
        new Date(p.createdAt.getTime() + p.moveToColdStorageAfterDays * DAY_MS),
      );
    }
    if (p.deleteAfterDays !== undefined) {
      lifecycle.DeleteAfterDays = p.deleteAfterDays;
      calculated.DeleteAt = ISO_EPOCH(new Date(p.createdAt.getTime() + p.deleteAfterDays * DAY_MS));
    }
    return {
      RecoveryPointArn: p.arn,
      BackupVaultName: p.vaultName,
      BackupVaultArn: p.vaultArn,
      ResourceArn: p.resourceArn,
      ResourceType: p.resourceType,
      ResourceName: p.resourceName,
      CreatedBy: { BackupPlanId: 'plan-daily', BackupRuleId: 'rule-daily' },
      IamRoleArn: p.iamRoleArn,
      Status: p.status,
      ...(p.statusMessage ? { StatusMessage: p.statusMessage } : {}),
      CreationDate: ISO_EPOCH(p.createdAt),
      ...(p.completedAt ? { CompletionDate: ISO_EPOCH(p.completedAt) } : {}),
      BackupSizeInBytes: p.sizeBytes,
      ...(Object.keys(lifecycle).length > 0 ? { Lifecycle: lifecycle, CalculatedLifecycle: calculated } : {}),
      EncryptionKeyArn: p.encryptionKeyArn,
      IsEncrypted: true,
      StorageClass: p.storageClass,
      IsParent: false,
      VaultType: 'BACKUP_VAULT',
    };
  }

  private restoreMetadata(vaultName: string, arn: string): Record<string, unknown> {
    const p = this.requirePoint(vaultName, arn);
    return {
      BackupVaultArn: p.vaultArn,
      RecoveryPointArn: p.arn,
      ResourceType: p.resourceType,
      RestoreMetadata: {
        originalTableName: p.resourceName,
        targetTableName: p.resourceName,
        encryptionType: 'Default',
      },
    };
  }

  private startRestoreJob(params: Record<string, unknown>): Record<string, unknown> {
    const arn = typeof params.RecoveryPointArn === 'string' ? params.RecoveryPointArn : '';
    const role = typeof params.IamRoleArn === 'string' ? params.IamRoleArn : '';
    const metadata = (params.Metadata ?? {}) as Record<string, string>;
    const token = typeof params.IdempotencyToken === 'string' ? params.IdempotencyToken : undefined;
    if (!arn) throw new AwsWireError('MissingParameterValueException', 'RecoveryPointArn is required');
    if (!role) throw new AwsWireError('MissingParameterValueException', 'IamRoleArn is required');
    const point = this.recoveryPoints.get(arn);
    if (!point)
      throw new AwsWireError('ResourceNotFoundException', `Recovery point ${arn} does not exist`, 404);
    if (token !== undefined) {
      const same = [...this.restoreJobs.values()].find((j) => j.idempotencyToken === token);
      // AWS: "Retrying a successful request with the same idempotency token results in a success
      // message with no action taken."
      if (same) return { RestoreJobId: same.id, RecoveryPointArn: same.recoveryPointArn };
    }
    if (point.status !== 'COMPLETED') {
      throw new AwsWireError(
        'InvalidRequestException',
        `Recovery point ${arn} is ${point.status}, not COMPLETED`,
      );
    }
    const target = metadata.targetTableName;
    if (!target || !/^[a-zA-Z0-9_.-]{3,255}$/.test(target)) {
      throw new AwsWireError(
        'InvalidParameterValueException',
        `Invalid targetTableName in Metadata: ${String(target)}`,
      );
    }
    if (this.host.hasTable(target)) {
      throw new AwsWireError('InvalidRequestException', `Table already exists: ${target}`);
    }
    this.seq += 1;
    const job: FakeRestoreJob = {
      id: `RJ-${String(this.seq).padStart(6, '0')}-${createHash('sha256')
        .update(arn + this.seq)
        .digest('hex')
        .slice(0, 8)}`,
      recoveryPointArn: arn,
      iamRoleArn: role,
      metadata: { ...metadata },
      status: 'PENDING',
      createdAt: this.host.now(),
      outcome: this.nextOutcome ?? { status: 'COMPLETED' },
    };
    this.nextOutcome = undefined;
    if (token !== undefined) job.idempotencyToken = token;
    if (typeof params.ResourceType === 'string') job.resourceType = params.ResourceType;
    this.restoreJobs.set(job.id, job);
    return { RestoreJobId: job.id, RecoveryPointArn: arn };
  }

  private describeRestoreJob(id: string): Record<string, unknown> {
    const job = this.restoreJobs.get(id);
    if (!job) throw new AwsWireError('ResourceNotFoundException', `Restore job ${id} does not exist`, 404);
    const answer = this.restoreJobView(job);
    this.advance(job);
    return answer;
  }

  private restoreJobView(job: FakeRestoreJob): Record<string, unknown> {
    const point = this.recoveryPoints.get(job.recoveryPointArn);
    return {
      AccountId: this.host.accountId,
      RestoreJobId: job.id,
      RecoveryPointArn: job.recoveryPointArn,
      CreationDate: ISO_EPOCH(job.createdAt),
      ...(job.completedAt ? { CompletionDate: ISO_EPOCH(job.completedAt) } : {}),
      Status: job.status,
      ...(job.statusMessage ? { StatusMessage: job.statusMessage } : {}),
      PercentDone: job.status === 'COMPLETED' ? '100.00%' : job.status === 'RUNNING' ? '40.00%' : '0.00%',
      BackupSizeInBytes: point?.sizeBytes ?? 0,
      IamRoleArn: job.iamRoleArn,
      ExpectedCompletionTimeMinutes: 30,
      ...(job.createdResourceArn ? { CreatedResourceArn: job.createdResourceArn } : {}),
      ResourceType: job.resourceType ?? point?.resourceType ?? 'DynamoDB',
    };
  }

  /** One step of the job's life, taken after each DescribeRestoreJob answer. */
  private advance(job: FakeRestoreJob): void {
    if (job.status === 'PENDING') {
      job.status = 'RUNNING';
      const point = this.recoveryPoints.get(job.recoveryPointArn);
      const tableName = job.metadata.targetTableName;
      if (point && tableName && job.outcome.status === 'COMPLETED') {
        this.host.createRestoredTable({ tableName, recoveryPoint: point });
        job.createdResourceArn = this.host.tableArn(tableName);
      }
      return;
    }
    if (job.status === 'RUNNING') {
      job.status = job.outcome.status;
      if (job.outcome.message) job.statusMessage = job.outcome.message;
      job.completedAt = this.host.now();
    }
  }
}
