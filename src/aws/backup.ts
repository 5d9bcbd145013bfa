import {
  BackupClient,
  type BackupClientConfig,
  DescribeRecoveryPointCommand,
  type DescribeRecoveryPointCommandOutput,
  DescribeRestoreJobCommand,
  GetRecoveryPointRestoreMetadataCommand,
  ListBackupVaultsCommand,
  ListRecoveryPointsByResourceCommand,
  StartRestoreJobCommand,
} from '@aws-sdk/client-backup';
import type { RecoveryPointInfo } from '../restore/types.ts';
import { type ClientOptions, MAX_ATTEMPTS } from './clients.ts';
import { compact, errorName, iso } from './convert.ts';
import { type AwsErrorContext, AwsOperationError, mapAwsError } from './errors.ts';

/**
 * AWS Backup calls for DynamoDB recovery points, through a target-account role session. This
 * module (and `@aws-sdk/client-backup`) is reached only from the worker's side (src/aws/target.ts),
 * so the slack function's bundle does not carry it.
 */

/** What DescribeRestoreJob tells about a restore job. */
export interface RestoreJobInfo {
  id: string;
  /** PENDING | RUNNING | COMPLETED | ABORTED | FAILED */
  status: string;
  statusMessage?: string;
  percentDone?: string;
  createdResourceArn?: string;
  expectedCompletionMinutes?: number;
  completedAt?: string;
}

interface StartRestoreJobInput {
  recoveryPoint: RecoveryPointInfo;
  /** The role AWS Backup assumes to create the table (the environment's awsBackupRoleArn). */
  iamRoleArn: string;
  targetTable: string;
  /** Restore metadata to set on top of the recovery point's own (e.g. encryption). */
  metadata?: Record<string, string>;
  /** The same token for every attempt of one request: AWS starts one job for it, whatever the retries. */
  idempotencyToken: string;
}

/** The AWS Backup calls the bot makes in a target account. Methods throw AwsOperationError. */
export interface RecoveryPoints {
  /** Every recovery point of a table (ListRecoveryPointsByResource, all pages), newest first. */
  listForTable(tableArn: string, tableName: string): Promise<RecoveryPointInfo[]>;
  /**
   * DescribeRecoveryPoint. AWS needs the vault's name; without `vaultName` every vault of the
   * account is tried. A recovery point found nowhere throws code RecoveryPointNotFound.
   */
  describe(arn: string, vaultName?: string): Promise<RecoveryPointInfo>;
  /** GetRecoveryPointRestoreMetadata, then StartRestoreJob with the target table name set. Returns the job ID. */
  startRestoreJob(input: StartRestoreJobInput): Promise<string>;
  /** DescribeRestoreJob. */
  describeRestoreJob(restoreJobId: string): Promise<RestoreJobInfo>;
}

/** Builds the AWS Backup client for one role session; tests hand in one with fast retries. */
export type BackupClientFactory = (init: {
  region: string;
  credentials: NonNullable<BackupClientConfig['credentials']>;
}) => BackupClient;

/** A new AWS Backup client for a role session (the caller caches it). Endpoint as the SDK resolves it. */
export function createBackupClient(
  init: { region: string; credentials: NonNullable<BackupClientConfig['credentials']> },
  options?: ClientOptions,
): BackupClient {
  return new BackupClient({
    region: init.region,
    credentials: init.credentials,
    ...(options?.retryStrategy
      ? { retryStrategy: options.retryStrategy }
      : { maxAttempts: MAX_ATTEMPTS, retryMode: 'standard' }),
  });
}

/** `arn:aws:dynamodb:REGION:ACCOUNT:table/NAME` → NAME */
export function tableNameOfArn(arn: string | undefined): string | undefined {
  return arn ? /:table\/([^/]+)$/.exec(arn)?.[1] : undefined;
}

function fromDescription(out: DescribeRecoveryPointCommandOutput, arn: string): RecoveryPointInfo {
  return compact({
    arn: out.RecoveryPointArn ?? arn,
    vaultName: out.BackupVaultName ?? '',
    resourceArn: out.ResourceArn,
    resourceType: out.ResourceType,
    tableName: out.ResourceName ?? tableNameOfArn(out.ResourceArn) ?? '',
    createdAt: iso(out.CreationDate) ?? '',
    completedAt: iso(out.CompletionDate),
    status: out.Status ?? 'UNKNOWN',
    statusMessage: out.StatusMessage,
    sizeBytes: out.BackupSizeInBytes,
    storageClass: out.StorageClass,
    moveToColdStorageAt: iso(out.CalculatedLifecycle?.MoveToColdStorageAt),
    deleteAt: iso(out.CalculatedLifecycle?.DeleteAt),
  });
}

/** AWS Backup of one target account, through one role session's client. */
export class BackupRecoveryPoints implements RecoveryPoints {
  constructor(
    private readonly client: BackupClient,
    private readonly where: Omit<AwsErrorContext, 'operation'>,
  ) {}

  private async call<T>(
    operation: string,
    extra: Partial<AwsErrorContext>,
    run: () => Promise<T>,
  ): Promise<T> {
    try {
      return await run();
    } catch (err) {
      throw mapAwsError(err, { ...this.where, ...extra, operation });
    }
  }

  async listForTable(tableArn: string, tableName: string): Promise<RecoveryPointInfo[]> {
    const points: RecoveryPointInfo[] = [];
    let token: string | undefined;
    do {
      const page = await this.call('ListRecoveryPointsByResource', { tableName }, () =>
        this.client.send(
          new ListRecoveryPointsByResourceCommand(compact({ ResourceArn: tableArn, NextToken: token })),
        ),
      );
      for (const p of page.RecoveryPoints ?? []) {
        points.push(
          compact({
            arn: p.RecoveryPointArn ?? '',
            vaultName: p.BackupVaultName ?? '',
            resourceArn: tableArn,
            resourceType: 'DynamoDB',
            tableName: p.ResourceName ?? tableName,
            createdAt: iso(p.CreationDate) ?? '',
            status: p.Status ?? 'UNKNOWN',
            statusMessage: p.StatusMessage,
            sizeBytes: p.BackupSizeBytes,
          }),
        );
      }
      token = page.NextToken;
    } while (token);
    return points.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  private async describeIn(vaultName: string, arn: string): Promise<RecoveryPointInfo | undefined> {
    try {
      const out = await this.client.send(
        new DescribeRecoveryPointCommand({ BackupVaultName: vaultName, RecoveryPointArn: arn }),
      );
      return fromDescription(out, arn);
    } catch (err) {
      if (errorName(err) === 'ResourceNotFoundException') return undefined;
      throw mapAwsError(err, { ...this.where, operation: 'DescribeRecoveryPoint', recoveryPointArn: arn });
    }
  }

  private async vaultNames(): Promise<string[]> {
    const names: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.call('ListBackupVaults', {}, () =>
        this.client.send(new ListBackupVaultsCommand(compact({ NextToken: token }))),
      );
      for (const vault of page.BackupVaultList ?? [])
        if (vault.BackupVaultName) names.push(vault.BackupVaultName);
      token = page.NextToken;
    } while (token);
    return names;
  }

  async describe(arn: string, vaultName?: string): Promise<RecoveryPointInfo> {
    const vaults = vaultName ? [vaultName] : await this.vaultNames();
    for (const vault of vaults) {
      const found = await this.describeIn(vault, arn);
      if (found) return found;
    }
    const account = this.where.accountId ? ` account ${this.where.accountId}` : ' the account';
    throw new AwsOperationError({
      code: 'RecoveryPointNotFound',
      operation: 'DescribeRecoveryPoint',
      retryable: false,
      userMessage:
        `No backup vault of${account}${this.where.region ? ` (${this.where.region})` : ''} holds recovery point ${arn}. ` +
        'It may have expired or been deleted, or it is a copy in another account: check the ARN and --env.',
    });
  }

  async startRestoreJob(input: StartRestoreJobInput): Promise<string> {
    const { recoveryPoint: point, targetTable } = input;
    const context = { recoveryPointArn: point.arn, tableName: targetTable, roleArn: input.iamRoleArn };
    const restore = await this.call('GetRecoveryPointRestoreMetadata', context, () =>
      this.client.send(
        new GetRecoveryPointRestoreMetadataCommand({
          BackupVaultName: point.vaultName,
          RecoveryPointArn: point.arn,
        }),
      ),
    );
    const metadata = { ...restore.RestoreMetadata, ...input.metadata, targetTableName: targetTable };
    const out = await this.call('StartRestoreJob', context, () =>
      this.client.send(
        new StartRestoreJobCommand({
          RecoveryPointArn: point.arn,
          IamRoleArn: input.iamRoleArn,
          Metadata: metadata,
          IdempotencyToken: input.idempotencyToken,
          ResourceType: point.resourceType ?? 'DynamoDB',
        }),
      ),
    );
    if (!out.RestoreJobId) {
      throw new AwsOperationError({
        code: 'NoRestoreJobId',
        operation: 'StartRestoreJob',
        retryable: true,
        userMessage:
          'AWS Backup accepted the restore but returned no restore job ID; the bot will ask again.',
      });
    }
    return out.RestoreJobId;
  }

  async describeRestoreJob(restoreJobId: string): Promise<RestoreJobInfo> {
    const out = await this.call('DescribeRestoreJob', { restoreJobId }, () =>
      this.client.send(new DescribeRestoreJobCommand({ RestoreJobId: restoreJobId })),
    );
    return compact({
      id: out.RestoreJobId ?? restoreJobId,
      status: out.Status ?? 'UNKNOWN',
      statusMessage: out.StatusMessage,
      percentDone: out.PercentDone,
      createdResourceArn: out.CreatedResourceArn,
      expectedCompletionMinutes: out.ExpectedCompletionTimeMinutes,
      completedAt: iso(out.CompletionDate),
    });
  }
}
