/**
 * An AWS error to put on the wire. The stand-ins (fake-aws.ts and the services it routes to,
 * fake-aws-settings.ts and fake-backup.ts) throw it; FakeAws writes it in the protocol of the
 * service that was called.
 */
export class AwsWireError extends Error {
  override name = 'AwsWireError';
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}
