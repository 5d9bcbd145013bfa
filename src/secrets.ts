import { GetParametersCommand, type GetParametersCommandOutput, type SSMClient } from '@aws-sdk/client-ssm';

/** A secret that could not be read from SSM Parameter Store at cold start. */
export class SecretsError extends Error {
  override name = 'SecretsError';
}

/**
 * Reads SecureString parameters by name (decrypted) in one call. The Lambda environment holds
 * only the names, so the template and `osls package` never see a secret value.
 */
export async function readSecrets<K extends string>(
  ssm: SSMClient,
  names: Record<K, string>,
): Promise<Record<K, string>> {
  const wanted = Object.values<string>(names);
  let out: GetParametersCommandOutput;
  try {
    out = await ssm.send(new GetParametersCommand({ Names: wanted, WithDecryption: true }));
  } catch (err) {
    throw new SecretsError(`Cannot read SSM parameters ${wanted.join(', ')}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  const byName = new Map((out.Parameters ?? []).map((p) => [p.Name, p.Value]));
  const missing = wanted.filter((n) => !byName.get(n));
  if (missing.length > 0) {
    throw new SecretsError(`SSM parameters missing or empty: ${missing.join(', ')} (see README, "Deploy").`);
  }
  return Object.fromEntries(Object.entries<string>(names).map(([k, n]) => [k, byName.get(n)!])) as Record<
    K,
    string
  >;
}
