// Tests call the worker's code (executor, watcher, pre-flight) without its entry module, so they wire
// the restore sources' execution part as src/lambda/worker.ts and src/server.ts do.
import { sourceExecution } from '../src/restore/sources/execution.ts';
import { provideSourceExecution } from '../src/restore/sources/index.ts';

provideSourceExecution(sourceExecution);
