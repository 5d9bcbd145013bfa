import { startEmbeddedDynamo } from '../../src/store/embedded.ts';
import { ensureStateTable, RequestStore } from '../../src/store/requests.ts';

let counter = 0;

/** A fresh state table in an in-memory dynalite; `close` stops it. */
export async function startTestStore() {
  const dynamo = await startEmbeddedDynamo();
  counter += 1;
  const tableName = `state-${process.pid}-${counter}`;
  await ensureStateTable(dynamo.client, tableName);
  return { store: new RequestStore(dynamo.client, tableName), dynamo, close: () => dynamo.close() };
}
